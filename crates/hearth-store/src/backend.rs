//! The store body, written once and instantiated for each backend by `impl_store!`. Each
//! backend supplies a pool, a dialect function for SQL text, and its own bulk-load method.
//!
//! Every SQL string here is assembled from the constant table layouts in `sql.rs` and numbered
//! placeholders, never from input, which is why they are marked `AssertSqlSafe`.

use crate::rows::Param;

/// Binds parameters in order to a query of either backend.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(value) => query.bind(value),
                Param::Int(value) => query.bind(value),
            };
        }
        query
    }};
}
pub(crate) use bind_params;

/// The conditions of each search, in PostgreSQL dialect: condition `k` uses placeholder `$k`,
/// and applies only when its parameter is given (see [`where_given`]).
pub const PEOPLE_FILTER: &[&str] = &[
    "name_search LIKE $1::text",
    "postcode = $2::text",
    "ni_index = $3::text",
    "external_ref = $4::text",
    "id IN (SELECT hm.person_id FROM household_members hm \
     JOIN tenancies t ON t.household_id = hm.household_id \
     JOIN properties pr ON pr.id = t.property_id WHERE pr.uprn = $5::text)",
];
pub const PROPERTY_FILTER: &[&str] = &[
    "uprn = $1::text",
    "postcode = $2::text",
    "address_search LIKE $3::text",
];
pub const HOUSEHOLD_FILTER: &[&str] = &[
    "name_search LIKE $1::text",
    "external_ref = $2::text",
    "id IN (SELECT household_id FROM household_members WHERE person_id = $3::uuid)",
];
pub const TENANCY_FILTER: &[&str] = &[
    "household_id = $1::uuid",
    "property_id = $2::uuid",
    "property_id IN (SELECT id FROM properties WHERE uprn = $3::text)",
    "start_date <= $4::date AND (end_date IS NULL OR end_date >= $4::date)",
];
pub const CONTACT_FILTER: &[&str] = &["person_id = $1::uuid", "channel = $2::text"];

/// A search's `WHERE` clause: the conditions whose parameter is given, joined by `AND` and
/// renumbered in order, with those parameters. Leaving the others out (rather than writing
/// `$k IS NULL OR ...`) is what lets each search use the index for what it filters on: neither
/// SQLite nor PostgreSQL's generic plans use an index under such an `OR`.
pub fn where_given(conditions: &[&str], params: Vec<Param>) -> (String, Vec<Param>) {
    let mut clauses = Vec::new();
    let mut given = Vec::new();
    for (i, (condition, param)) in conditions.iter().zip(params).enumerate() {
        if param.is_null() {
            continue;
        }
        given.push(param);
        clauses.push(condition.replace(&format!("${}::", i + 1), &format!("${}::", given.len())));
    }
    if clauses.is_empty() {
        ("1 = 1".to_string(), given)
    } else {
        (clauses.join(" AND "), given)
    }
}

/// The filter's parameters; `ni_index` is the blind index of the NI number searched for.
pub fn person_filter(q: &crate::PersonQuery, ni_index: Option<String>) -> Vec<Param> {
    vec![
        Param::Text(q.name.as_deref().map(crate::rows::like_pattern)),
        Param::Text(q.postcode.clone()),
        Param::Text(ni_index),
        Param::Text(q.external_ref.clone()),
        Param::Text(q.uprn.clone()),
    ]
}

pub fn property_filter(q: &crate::PropertyQuery) -> Vec<Param> {
    vec![
        Param::Text(q.uprn.clone()),
        Param::Text(q.postcode.clone()),
        Param::Text(q.address.as_deref().map(crate::rows::like_pattern)),
    ]
}

pub fn household_filter(q: &crate::HouseholdQuery) -> Vec<Param> {
    vec![
        Param::Text(q.name.as_deref().map(crate::rows::like_pattern)),
        Param::Text(q.external_ref.clone()),
        Param::Text(q.person_id.map(|id| id.to_string())),
    ]
}

pub fn tenancy_filter(q: &crate::TenancyQuery) -> Vec<Param> {
    vec![
        Param::Text(q.household_id.map(|id| id.to_string())),
        Param::Text(q.property_id.map(|id| id.to_string())),
        Param::Text(q.uprn.clone()),
        Param::Text(q.current_on.map(|d| d.to_string())),
    ]
}

pub fn contact_filter(q: &crate::ContactQuery) -> Vec<Param> {
    vec![
        Param::Text(q.person_id.map(|id| id.to_string())),
        Param::Text(q.channel.clone()),
    ]
}

/// Implements [`crate::Store`] and an import session for one backend.
///
/// `$store` must be `Clone` with a field `pool: sqlx::Pool<$db>` and inherent methods `sql`
/// (the dialect), `begin_write` (a transaction holding the write lock for a named purpose),
/// `schema_versions_of` and `bulk_insert`; `$session` names the import session type.
macro_rules! impl_store {
    ($store:ident, $db:ty, $session:ident, $backend:expr) => {
        impl $store {
            async fn fetch_one_as<R>(&self, table: &crate::sql::Table, id: uuid::Uuid) -> crate::Result<Option<R>>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
            {
                let sql = self.sql(&format!(
                    "SELECT {} FROM {} WHERE id = $1::uuid",
                    table.select_list(""),
                    table.name
                ));
                Ok(sqlx::query_as::<_, R>(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?)
            }

            /// The wrapped data keys of these people, read through `conn`.
            async fn key_rows(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                person_ids: &[uuid::Uuid],
            ) -> crate::Result<Vec<crate::sealer::PersonKeyRow>> {
                let mut out = Vec::with_capacity(person_ids.len());
                let mut ids: Vec<String> = person_ids.iter().map(uuid::Uuid::to_string).collect();
                ids.sort();
                ids.dedup();
                for chunk in ids.chunks(500) {
                    let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}::uuid")).collect();
                    let sql = self.sql(&format!(
                        "SELECT person_id::text, key_id::text, kek_id, wrapped FROM person_keys WHERE person_id IN ({})",
                        placeholders.join(", ")
                    ));
                    let mut query = sqlx::query_as::<_, (String, String, String, String)>(sqlx::AssertSqlSafe(sql.as_str()));
                    for id in chunk {
                        query = query.bind(id);
                    }
                    for (person_id, key_id, kek_id, wrapped_hex) in query.fetch_all(&mut *conn).await? {
                        let parse = |id: &str| id.parse().map_err(|_| crate::StoreError::Corrupt(format!("bad key id '{id}'")));
                        out.push(crate::sealer::PersonKeyRow { person_id: parse(&person_id)?, key_id: parse(&key_id)?, kek_id, wrapped_hex });
                    }
                }
                Ok(out)
            }

            /// Seals what was written before encryption at rest: people without a data key get
            /// one and their identifiers and equality answers sealed; notes still in the clear
            /// are sealed under their person's key. Batch by batch, each in its own transaction,
            /// so an interrupted run leaves whole batches done and the next open finishes. Once
            /// nothing is left it is marked done, and later opens skip it: every write since
            /// encryption at rest is sealed, and looking costs a scan of every note.
            pub(crate) async fn seal_backlog(&self) -> crate::Result<u64> {
                let marker = self.sql("SELECT COUNT(*) FROM store_markers WHERE name = 'sealed_backlog'");
                let done: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(marker.as_str())).fetch_one(&self.pool).await?;
                if done > 0 {
                    return Ok(0);
                }
                let mut sealed = 0u64;
                let people_sql = self.sql(
                    "SELECT id::text, ni_number, nhs_number, equality::text, created_at::text FROM people \
                     WHERE NOT EXISTS (SELECT 1 FROM person_keys k WHERE k.person_id = people.id) ORDER BY id LIMIT 500",
                );
                let update_person = self.sql(
                    "UPDATE people SET ni_number = $2::text, nhs_number = $3::text, equality = $4::text, ni_index = $5::text WHERE id = $1::uuid",
                );
                loop {
                    let mut tx = self.begin_write("import").await?;
                    let batch: Vec<(String, Option<String>, Option<String>, String, String)> =
                        sqlx::query_as(sqlx::AssertSqlSafe(people_sql.as_str())).fetch_all(&mut *tx).await?;
                    if batch.is_empty() {
                        break;
                    }
                    let mut keys = Vec::with_capacity(batch.len());
                    for (id, ni, nhs, equality, created_at) in batch {
                        let id: uuid::Uuid = id.parse().map_err(|_| crate::StoreError::Corrupt(format!("bad id '{id}'")))?;
                        let (key, key_row) = self.sealer.new_person_key(id)?;
                        let seal = |column: &str, v: Option<String>| self.sealer.seal_opt(&key, "people", column, id, v.as_deref());
                        let index = ni.as_deref().map(|n| self.sealer.ni_index(n));
                        sqlx::query(sqlx::AssertSqlSafe(update_person.as_str()))
                            .bind(id.to_string())
                            .bind(seal("ni_number", ni)?)
                            .bind(seal("nhs_number", nhs)?)
                            .bind(self.sealer.seal(&key, "people", "equality", id, &equality)?)
                            .bind(index)
                            .execute(&mut *tx)
                            .await?;
                        keys.push(crate::rows::person_key_params(&key_row, crate::rows::parse_ts(&created_at)?));
                        sealed += 1;
                    }
                    $store::bulk_insert(&mut tx, self, &crate::sql::PERSON_KEYS, keys).await?;
                    tx.commit().await?;
                }
                let notes_sql = self.sql(&format!(
                    "SELECT id::text, person_id::text, summary FROM contact_log \
                     WHERE summary IS NOT NULL AND summary NOT LIKE '{}%' ORDER BY id LIMIT 500",
                    crate::sealer::SEALED_PREFIX
                ));
                let update_note = self.sql("UPDATE contact_log SET summary = $2::text WHERE id = $1::uuid");
                loop {
                    let mut tx = self.begin_write("import").await?;
                    let batch: Vec<(String, String, String)> =
                        sqlx::query_as(sqlx::AssertSqlSafe(notes_sql.as_str())).fetch_all(&mut *tx).await?;
                    if batch.is_empty() {
                        break;
                    }
                    let parse = |id: &str| id.parse::<uuid::Uuid>().map_err(|_| crate::StoreError::Corrupt(format!("bad id '{id}'")));
                    let person_ids = batch.iter().map(|(_, p, _)| parse(p)).collect::<crate::Result<Vec<_>>>()?;
                    let key_rows = self.key_rows(&mut tx, &person_ids).await?;
                    let keys = self.sealer.unwrap_all(&key_rows)?;
                    for ((id, _, summary), person_id) in batch.into_iter().zip(person_ids) {
                        let id = parse(&id)?;
                        let key = keys.get(&person_id).ok_or_else(|| crate::StoreError::Crypto(format!("person {person_id} has no data key")))?;
                        sqlx::query(sqlx::AssertSqlSafe(update_note.as_str()))
                            .bind(id.to_string())
                            .bind(self.sealer.seal(key, "contact_log", "summary", id, &summary)?)
                            .execute(&mut *tx)
                            .await?;
                        sealed += 1;
                    }
                    tx.commit().await?;
                }
                let mark = self.sql(
                    "INSERT INTO store_markers (name, done_at) VALUES ('sealed_backlog', CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING",
                );
                sqlx::query(sqlx::AssertSqlSafe(mark.as_str())).execute(&self.pool).await?;
                Ok(sealed)
            }

            /// A contact entry's notes sealed under its person's key (none to seal: none needed).
            async fn contact_summary(&self, entry: &hearth_core::records::ContactEntry) -> crate::Result<Option<String>> {
                if entry.fields.summary.is_none() {
                    return Ok(None);
                }
                let key = self.key_for_write(entry.fields.person_id).await?;
                crate::rows::sealed_summary(&self.sealer, &key, entry)
            }

            /// The unwrapped data keys of these people; people whose key was destroyed are absent.
            async fn keys_of(&self, person_ids: &[uuid::Uuid]) -> crate::Result<std::collections::HashMap<uuid::Uuid, crate::sealer::PersonKey>> {
                let mut conn = self.pool.acquire().await?;
                let rows = self.key_rows(&mut conn, person_ids).await?;
                self.sealer.unwrap_all(&rows)
            }

            /// One person's key, which a write needs: a person without one was erased.
            async fn key_for_write(&self, person_id: uuid::Uuid) -> crate::Result<crate::sealer::PersonKey> {
                self.keys_of(&[person_id]).await?.remove(&person_id).ok_or_else(|| {
                    crate::StoreError::Crypto(format!("person {person_id} has no data key: their record was erased"))
                })
            }

            fn open_people(&self, rows: Vec<crate::rows::PersonRow>, keys: &std::collections::HashMap<uuid::Uuid, crate::sealer::PersonKey>) -> crate::Result<Vec<hearth_core::records::Person>> {
                rows.into_iter()
                    .map(|row| {
                        let id = row.person_id()?;
                        row.open(&self.sealer, keys.get(&id))
                    })
                    .collect()
            }

            fn open_contacts(&self, rows: Vec<crate::rows::ContactRow>, keys: &std::collections::HashMap<uuid::Uuid, crate::sealer::PersonKey>) -> crate::Result<Vec<hearth_core::records::ContactEntry>> {
                rows.into_iter()
                    .map(|row| {
                        let id = row.person_id()?;
                        row.open(&self.sealer, keys.get(&id))
                    })
                    .collect()
            }

            async fn page_of<R>(
                &self,
                table: &crate::sql::Table,
                conditions: &[&str],
                params: Vec<Param>,
                order: &str,
                page: crate::Page,
            ) -> crate::Result<(Vec<R>, i64)>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
            {
                let (filter, params) = crate::backend::where_given(conditions, params);
                let n = params.len();
                let count_sql = self.sql(&format!("SELECT count(*) FROM {} WHERE {filter}", table.name));
                let total: i64 = bind_params!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str())), params.clone())
                    .fetch_one(&self.pool)
                    .await?;
                let sql = self.sql(&format!(
                    "SELECT {} FROM {} WHERE {filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
                    table.select_list(""),
                    table.name,
                    n + 1,
                    n + 2
                ));
                let rows = bind_params!(sqlx::query_as::<_, R>(sqlx::AssertSqlSafe(sql.as_str())), params)
                    .bind(page.limit())
                    .bind(page.offset())
                    .fetch_all(&self.pool)
                    .await?;
                Ok((rows, total))
            }

            /// Inserts one row and its audit event in one transaction: both or neither.
            async fn insert_row(&self, table: &crate::sql::Table, params: Vec<Param>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.insert_row_with_keys(table, params, vec![], audit).await
            }

            /// Inserts one row, the data keys it introduces, and its audit event, all or nothing.
            async fn insert_row_with_keys(&self, table: &crate::sql::Table, params: Vec<Param>, keys: Vec<Vec<Param>>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                if !keys.is_empty() {
                    $store::bulk_insert(&mut tx, self, &crate::sql::PERSON_KEYS, keys).await?;
                }
                let sql = self.sql(&table.insert(1));
                bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), params).execute(&mut *tx).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_row(
                &self,
                table: &crate::sql::Table,
                id: uuid::Uuid,
                params: Vec<Param>,
                expected_version: i64,
                audit: &hearth_core::audit::AuditEvent,
            ) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(&table.update());
                let done = bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), table.update_params(params, expected_version))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 1 {
                    self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await?;
                    return Ok(());
                }
                drop(tx);
                let exists_sql = self.sql(&format!("SELECT count(*) FROM {} WHERE id = $1::uuid", table.name));
                let exists: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(exists_sql.as_str())).bind(id.to_string()).fetch_one(&self.pool).await?;
                Err(if exists == 0 {
                    crate::StoreError::NotFound
                } else {
                    crate::StoreError::VersionConflict { expected: expected_version }
                })
            }

            /// Appends events to the audit chain inside a transaction that holds the audit lock.
            async fn append_audit(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                events: &[hearth_core::audit::AuditEvent],
            ) -> crate::Result<()> {
                let last_sql = self.sql("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
                let last: Option<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(last_sql.as_str())).fetch_optional(&mut **tx).await?;
                let (mut seq, mut prev) = last.unwrap_or((0, hearth_core::audit::GENESIS.to_string()));
                let insert = self.sql(
                    "INSERT INTO audit_events (seq, id, at, actor, action, event, prev_hash, hash) \
                     VALUES ($1, $2::uuid, $3::timestamptz, $4, $5, $6, $7, $8)",
                );
                // Who each event concerns, for "who accessed this person": a bulk load's event
                // names thousands of people, so they go in multi-row statements, not one by one.
                let mut concerns: Vec<(String, i64)> = Vec::new();
                for event in events {
                    seq += 1;
                    let hash = hearth_core::audit::chain_hash(&prev, seq, event);
                    let json = serde_json::to_string(event).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
                    sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                        .bind(seq)
                        .bind(event.id.to_string())
                        .bind(crate::rows::ts(event.at))
                        .bind(&event.actor)
                        .bind(&event.action)
                        .bind(json)
                        .bind(&prev)
                        .bind(&hash)
                        .execute(&mut **tx)
                        .await?;
                    concerns.extend(event.person_ids.iter().map(|p| (p.to_string(), seq)));
                    prev = hash;
                }
                concerns.sort();
                concerns.dedup();
                for chunk in concerns.chunks(1000) {
                    let values: Vec<String> = (0..chunk.len())
                        .map(|i| format!("(${}::uuid, ${})", 2 * i + 1, 2 * i + 2))
                        .collect();
                    let sql = self.sql(&format!(
                        "INSERT INTO audit_event_people (person_id, seq) VALUES {} ON CONFLICT DO NOTHING",
                        values.join(", ")
                    ));
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                    for (person_id, seq) in chunk {
                        query = query.bind(person_id.clone()).bind(*seq);
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }

            async fn members_of(
                &self,
                household_ids: &[String],
            ) -> crate::Result<std::collections::HashMap<String, Vec<hearth_core::records::Membership>>> {
                let mut out: std::collections::HashMap<String, Vec<_>> = std::collections::HashMap::new();
                if household_ids.is_empty() {
                    return Ok(out);
                }
                let placeholders: Vec<String> = (1..=household_ids.len()).map(|i| format!("${i}::uuid")).collect();
                let sql = self.sql(&format!(
                    "SELECT {} FROM household_members WHERE household_id IN ({}) ORDER BY start_date, id",
                    crate::sql::MEMBERS.select_list(""),
                    placeholders.join(", ")
                ));
                let mut query = sqlx::query_as::<_, crate::rows::MembershipRow>(sqlx::AssertSqlSafe(sql.as_str()));
                for id in household_ids {
                    query = query.bind(id);
                }
                for row in query.fetch_all(&self.pool).await? {
                    let membership = hearth_core::records::Membership::try_from(row)?;
                    out.entry(membership.household_id.to_string()).or_default().push(membership);
                }
                Ok(out)
            }
        }

        #[async_trait::async_trait]
        impl crate::Store for $store {
            fn backend(&self) -> crate::Backend {
                $backend
            }

            async fn schema_versions(&self) -> crate::Result<(i64, i64)> {
                Self::schema_versions_of(&self.pool).await
            }

            async fn insert_person(&self, person: &hearth_core::records::Person, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let (key, key_row) = self.sealer.new_person_key(person.id)?;
                let sealed = crate::rows::SealedPerson::of(&self.sealer, &key, person)?;
                let keys = vec![crate::rows::person_key_params(&key_row, person.created_at)];
                self.insert_row_with_keys(&crate::sql::PEOPLE, crate::rows::person_params(person, sealed), keys, audit).await
            }

            async fn update_person(&self, person: &hearth_core::records::Person, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = match self.key_for_write(person.id).await {
                    Ok(key) => key,
                    // No key and no row: say the person is not there, as for any other record.
                    Err(e) => return match self.fetch_one_as::<crate::rows::PersonRow>(&crate::sql::PEOPLE, person.id).await? {
                        None => Err(crate::StoreError::NotFound),
                        Some(_) => Err(e),
                    },
                };
                let sealed = crate::rows::SealedPerson::of(&self.sealer, &key, person)?;
                self.update_row(&crate::sql::PEOPLE, person.id, crate::rows::person_params(person, sealed), expected_version, audit).await
            }

            async fn get_person(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::Person>> {
                let Some(row) = self.fetch_one_as::<crate::rows::PersonRow>(&crate::sql::PEOPLE, id).await? else {
                    return Ok(None);
                };
                let keys = self.keys_of(&[id]).await?;
                Ok(Some(row.open(&self.sealer, keys.get(&id))?))
            }

            async fn list_people(
                &self,
                query: &crate::PersonQuery,
                page: crate::Page,
            ) -> crate::Result<crate::Paged<hearth_core::records::Person>> {
                let mut conditions = crate::backend::PEOPLE_FILTER.to_vec();
                let mut params = crate::backend::person_filter(query, query.ni_number.as_deref().map(|n| self.sealer.ni_index(n)));
                let visible;
                if let Some((only, ids)) = query.visible.id_list() {
                    visible = format!("id {} {}", if only { "IN" } else { "NOT IN" }, self.json_ids(conditions.len() + 1));
                    conditions.push(&visible);
                    params.push(Param::Text(Some(ids)));
                }
                let (rows, total) = self
                    .page_of::<crate::rows::PersonRow>(
                        &crate::sql::PEOPLE,
                        &conditions,
                        params,
                        "family_lower, given_name, id",
                        page,
                    )
                    .await?;
                let ids = rows.iter().map(crate::rows::PersonRow::person_id).collect::<crate::Result<Vec<_>>>()?;
                let keys = self.keys_of(&ids).await?;
                let items = self.open_people(rows, &keys)?;
                Ok(crate::Paged { items, page: page.number, per_page: page.size, total })
            }

            async fn people_with_controls(
                &self,
                query: &crate::PersonQuery,
                purpose: &str,
                assignee: Option<uuid::Uuid>,
            ) -> crate::Result<Vec<uuid::Uuid>> {
                let params = crate::backend::person_filter(query, query.ni_number.as_deref().map(|n| self.sealer.ni_index(n)));
                let (filter, mut params) = crate::backend::where_given(crate::backend::PEOPLE_FILTER, params);
                let n = params.len();
                params.push(Param::Text(Some(purpose.to_string())));
                params.push(Param::Text(assignee.map(|id| id.to_string())));
                let sql = self.sql(&format!(
                    "SELECT id::text FROM people WHERE {filter} AND (\
                     id IN (SELECT person_id FROM person_flags WHERE restricted OR objected) \
                     OR id IN (SELECT person_id FROM consents WHERE purpose = ${}::text) \
                     OR id IN (SELECT person_id FROM assignments WHERE staff_id = ${}::uuid))",
                    n + 1,
                    n + 2
                ));
                let ids: Vec<String> = bind_params!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str())), params)
                    .fetch_all(&self.pool)
                    .await?;
                ids.iter().map(|id| crate::access::parse_uuid(id)).collect()
            }

            async fn insert_property(&self, property: &hearth_core::records::Property, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.insert_row(&crate::sql::PROPERTIES, crate::rows::property_params(property), audit).await
            }

            async fn update_property(&self, property: &hearth_core::records::Property, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.update_row(&crate::sql::PROPERTIES, property.id, crate::rows::property_params(property), expected_version, audit).await
            }

            async fn get_property(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::Property>> {
                self.fetch_one_as::<crate::rows::PropertyRow>(&crate::sql::PROPERTIES, id).await?.map(TryInto::try_into).transpose()
            }

            async fn list_properties(
                &self,
                query: &crate::PropertyQuery,
                page: crate::Page,
            ) -> crate::Result<crate::Paged<hearth_core::records::Property>> {
                let (rows, total) = self
                    .page_of::<crate::rows::PropertyRow>(
                        &crate::sql::PROPERTIES,
                        crate::backend::PROPERTY_FILTER,
                        crate::backend::property_filter(query),
                        "postcode, address_search, id",
                        page,
                    )
                    .await?;
                let items = rows.into_iter().map(TryInto::try_into).collect::<crate::Result<_>>()?;
                Ok(crate::Paged { items, page: page.number, per_page: page.size, total })
            }

            async fn insert_household(&self, household: &hearth_core::records::Household, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.insert_row(&crate::sql::HOUSEHOLDS, crate::rows::household_params(household), audit).await
            }

            async fn update_household(&self, household: &hearth_core::records::Household, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.update_row(&crate::sql::HOUSEHOLDS, household.id, crate::rows::household_params(household), expected_version, audit).await
            }

            async fn get_household(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::Household>> {
                let Some(row) = self.fetch_one_as::<crate::rows::HouseholdRow>(&crate::sql::HOUSEHOLDS, id).await? else {
                    return Ok(None);
                };
                let mut members = self.members_of(&[id.to_string()]).await?;
                Ok(Some(row.into_household(members.remove(&id.to_string()).unwrap_or_default())?))
            }

            async fn list_households(
                &self,
                query: &crate::HouseholdQuery,
                page: crate::Page,
            ) -> crate::Result<crate::Paged<hearth_core::records::Household>> {
                let (rows, total) = self
                    .page_of::<crate::rows::HouseholdRow>(
                        &crate::sql::HOUSEHOLDS,
                        crate::backend::HOUSEHOLD_FILTER,
                        crate::backend::household_filter(query),
                        "created_at, id",
                        page,
                    )
                    .await?;
                let ids = rows.iter().map(|r| r.id().map(|id| id.to_string())).collect::<crate::Result<Vec<_>>>()?;
                let mut members = self.members_of(&ids).await?;
                let items = rows
                    .into_iter()
                    .zip(ids)
                    .map(|(row, id)| row.into_household(members.remove(&id).unwrap_or_default()))
                    .collect::<crate::Result<_>>()?;
                Ok(crate::Paged { items, page: page.number, per_page: page.size, total })
            }

            async fn insert_membership(&self, membership: &hearth_core::records::Membership, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.insert_row(&crate::sql::MEMBERS, crate::rows::membership_params(membership), audit).await
            }

            async fn update_membership(&self, membership: &hearth_core::records::Membership, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE household_members SET relationship = $2::text, start_date = $3::date, end_date = $4::date \
                     WHERE id = $1::uuid",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(membership.id.to_string())
                    .bind(membership.fields.relationship.as_str())
                    .bind(membership.fields.start_date.to_string())
                    .bind(membership.fields.end_date.map(|d| d.to_string()))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::NotFound);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_membership(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::Membership>> {
                self.fetch_one_as::<crate::rows::MembershipRow>(&crate::sql::MEMBERS, id).await?.map(TryInto::try_into).transpose()
            }

            async fn insert_tenancy(&self, tenancy: &hearth_core::records::Tenancy, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.insert_row(&crate::sql::TENANCIES, crate::rows::tenancy_params(tenancy), audit).await
            }

            async fn update_tenancy(&self, tenancy: &hearth_core::records::Tenancy, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.update_row(&crate::sql::TENANCIES, tenancy.id, crate::rows::tenancy_params(tenancy), expected_version, audit).await
            }

            async fn get_tenancy(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::Tenancy>> {
                self.fetch_one_as::<crate::rows::TenancyRow>(&crate::sql::TENANCIES, id).await?.map(TryInto::try_into).transpose()
            }

            async fn list_tenancies(
                &self,
                query: &crate::TenancyQuery,
                page: crate::Page,
            ) -> crate::Result<crate::Paged<hearth_core::records::Tenancy>> {
                let (rows, total) = self
                    .page_of::<crate::rows::TenancyRow>(
                        &crate::sql::TENANCIES,
                        crate::backend::TENANCY_FILTER,
                        crate::backend::tenancy_filter(query),
                        "start_date DESC, id",
                        page,
                    )
                    .await?;
                let items = rows.into_iter().map(TryInto::try_into).collect::<crate::Result<_>>()?;
                Ok(crate::Paged { items, page: page.number, per_page: page.size, total })
            }

            async fn insert_contact(&self, entry: &hearth_core::records::ContactEntry, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let summary = self.contact_summary(entry).await?;
                self.insert_row(&crate::sql::CONTACTS, crate::rows::contact_params(entry, summary), audit).await
            }

            async fn update_contact(&self, entry: &hearth_core::records::ContactEntry, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let summary = self.contact_summary(entry).await?;
                self.update_row(&crate::sql::CONTACTS, entry.id, crate::rows::contact_params(entry, summary), expected_version, audit).await
            }

            async fn get_contact(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::ContactEntry>> {
                let Some(row) = self.fetch_one_as::<crate::rows::ContactRow>(&crate::sql::CONTACTS, id).await? else {
                    return Ok(None);
                };
                let person_id = row.person_id()?;
                let keys = self.keys_of(&[person_id]).await?;
                Ok(Some(row.open(&self.sealer, keys.get(&person_id))?))
            }

            async fn list_contacts(
                &self,
                query: &crate::ContactQuery,
                page: crate::Page,
            ) -> crate::Result<crate::Paged<hearth_core::records::ContactEntry>> {
                let (rows, total) = self
                    .page_of::<crate::rows::ContactRow>(
                        &crate::sql::CONTACTS,
                        crate::backend::CONTACT_FILTER,
                        crate::backend::contact_filter(query),
                        "occurred_at DESC, id",
                        page,
                    )
                    .await?;
                let ids = rows.iter().map(crate::rows::ContactRow::person_id).collect::<crate::Result<Vec<_>>>()?;
                let keys = self.keys_of(&ids).await?;
                let items = self.open_contacts(rows, &keys)?;
                Ok(crate::Paged { items, page: page.number, per_page: page.size, total })
            }

            async fn record_register_version(
                &self,
                version: &crate::RegisterVersion,
                audit: &hearth_core::audit::AuditEvent,
            ) -> crate::Result<bool> {
                // The audit lock, taken up front: concurrent starts record each change once, and
                // the chain gets one event per change.
                let mut tx = self.begin_write("audit").await?;
                let latest_sql = self.sql("SELECT sha256 FROM register_versions ORDER BY loaded_at DESC, id DESC LIMIT 1");
                let latest: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(latest_sql.as_str())).fetch_optional(&mut *tx).await?;
                if latest.as_deref() == Some(version.sha256.as_str()) {
                    return Ok(false);
                }
                let sql = self.sql(&crate::sql::REGISTER_VERSIONS.insert(1));
                bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), crate::rows::register_version_params(version)).execute(&mut *tx).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn checkpoint_audit_log(
                &self,
                key: &hearth_core::audit::CheckpointKey,
                signed_at: jiff::Timestamp,
            ) -> crate::Result<Option<hearth_core::audit::Checkpoint>> {
                // Under the audit lock, so the head cannot move between reading and signing.
                let mut tx = self.begin_write("audit").await?;
                let head_sql = self.sql("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
                let head: Option<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(head_sql.as_str())).fetch_optional(&mut *tx).await?;
                let Some((seq, hash)) = head else { return Ok(None) };
                let done_sql = self.sql("SELECT count(*) FROM audit_checkpoints WHERE seq = $1");
                let done: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(done_sql.as_str())).bind(seq).fetch_one(&mut *tx).await?;
                if done > 0 {
                    return Ok(None);
                }
                let checkpoint = key.sign(seq, &hash, signed_at);
                let insert = self.sql(
                    "INSERT INTO audit_checkpoints (seq, hash, signed_at, public_key, signature) VALUES ($1, $2, $3::timestamptz, $4, $5)",
                );
                sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                    .bind(checkpoint.seq)
                    .bind(&checkpoint.hash)
                    .bind(crate::rows::ts(checkpoint.signed_at))
                    .bind(&checkpoint.public_key)
                    .bind(&checkpoint.signature)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(checkpoint))
            }

            async fn audit_checkpoints(&self) -> crate::Result<Vec<hearth_core::audit::Checkpoint>> {
                let sql = self.sql("SELECT seq, hash, signed_at::text, public_key, signature FROM audit_checkpoints ORDER BY seq");
                let rows: Vec<(i64, String, String, String, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(seq, hash, signed_at, public_key, signature)| {
                        Ok(hearth_core::audit::Checkpoint { seq, hash, signed_at: crate::rows::parse_ts(&signed_at)?, public_key, signature })
                    })
                    .collect()
            }

            async fn audit_log(&self, after_seq: i64, limit: i64) -> crate::Result<Vec<hearth_core::audit::ChainedEvent>> {
                let sql = self.sql("SELECT seq, event, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(after_seq)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(crate::rows::chained_event).collect()
            }

            async fn audit_index(&self, after_seq: i64, limit: i64) -> crate::Result<Vec<crate::AuditIndexRow>> {
                let sql = self.sql("SELECT seq, id::text, actor, action FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(after_seq)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                let Some(last) = rows.last().map(|r| r.0) else {
                    return Ok(Vec::new());
                };
                let people_sql = self.sql("SELECT seq, person_id::text FROM audit_event_people WHERE seq > $1 AND seq <= $2 ORDER BY seq, person_id");
                let people: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(people_sql.as_str()))
                    .bind(after_seq)
                    .bind(last)
                    .fetch_all(&self.pool)
                    .await?;
                let mut by_seq: std::collections::HashMap<i64, Vec<uuid::Uuid>> = std::collections::HashMap::new();
                for (seq, person) in people {
                    by_seq.entry(seq).or_default().push(crate::access::parse_uuid(&person)?);
                }
                Ok(rows
                    .into_iter()
                    .map(|(seq, id, actor, action)| crate::AuditIndexRow {
                        seq,
                        id,
                        actor,
                        action,
                        person_ids: by_seq.remove(&seq).unwrap_or_default(),
                    })
                    .collect())
            }

            async fn register_history(&self) -> crate::Result<Vec<crate::RegisterVersion>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM register_versions ORDER BY loaded_at, id",
                    crate::sql::REGISTER_VERSIONS.select_list("")
                ));
                let rows = sqlx::query_as::<_, crate::rows::RegisterVersionRow>(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn begin_import(&self) -> crate::Result<Box<dyn crate::ImportSession>> {
                // One import at a time: the existing-reference check must see every committed row.
                let tx = self.begin_write("import").await?;
                Ok(Box::new($session { tx, store: self.clone() }))
            }
        }

        /// An import in one transaction; dropped without `commit`, it rolls back.
        pub struct $session {
            tx: sqlx::Transaction<'static, $db>,
            store: $store,
        }

        #[async_trait::async_trait]
        impl crate::ImportSession for $session {
            async fn existing_refs(
                &mut self,
                kind: crate::RefKind,
                refs: &[String],
            ) -> crate::Result<std::collections::HashMap<String, uuid::Uuid>> {
                let (table, column) = match kind {
                    crate::RefKind::Person => ("people", "external_ref"),
                    crate::RefKind::Household => ("households", "external_ref"),
                    crate::RefKind::Tenancy => ("tenancies", "external_ref"),
                    crate::RefKind::PropertyUprn => ("properties", "uprn"),
                };
                let mut out = std::collections::HashMap::new();
                for chunk in refs.chunks(500) {
                    let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}::text")).collect();
                    let sql = self.store.sql(&format!(
                        "SELECT {column}, id::text FROM {table} WHERE {column} IN ({})",
                        placeholders.join(", ")
                    ));
                    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql.as_str()));
                    for r in chunk {
                        query = query.bind(r);
                    }
                    for (key, id) in query.fetch_all(&mut *self.tx).await? {
                        let id = id.parse().map_err(|_| crate::StoreError::Corrupt(format!("bad id '{id}'")))?;
                        out.insert(key, id);
                    }
                }
                Ok(out)
            }

            async fn insert_people(&mut self, people: &[hearth_core::records::Person]) -> crate::Result<()> {
                let mut rows = Vec::with_capacity(people.len());
                let mut keys = Vec::with_capacity(people.len());
                for person in people {
                    let (key, key_row) = self.store.sealer.new_person_key(person.id)?;
                    let sealed = crate::rows::SealedPerson::of(&self.store.sealer, &key, person)?;
                    keys.push(crate::rows::person_key_params(&key_row, person.created_at));
                    rows.push(crate::rows::person_params(person, sealed));
                }
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::PERSON_KEYS, keys).await?;
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::PEOPLE, rows).await
            }

            async fn insert_properties(&mut self, properties: &[hearth_core::records::Property]) -> crate::Result<()> {
                let rows = properties.iter().map(crate::rows::property_params).collect();
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::PROPERTIES, rows).await
            }

            async fn insert_households(&mut self, households: &[hearth_core::records::Household]) -> crate::Result<()> {
                let rows = households.iter().map(crate::rows::household_params).collect();
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::HOUSEHOLDS, rows).await
            }

            async fn insert_memberships(&mut self, memberships: &[hearth_core::records::Membership]) -> crate::Result<()> {
                let rows = memberships.iter().map(crate::rows::membership_params).collect();
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::MEMBERS, rows).await
            }

            async fn insert_tenancies(&mut self, tenancies: &[hearth_core::records::Tenancy]) -> crate::Result<()> {
                let rows = tenancies.iter().map(crate::rows::tenancy_params).collect();
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::TENANCIES, rows).await
            }

            async fn insert_contacts(&mut self, entries: &[hearth_core::records::ContactEntry]) -> crate::Result<()> {
                let ids: Vec<uuid::Uuid> = entries.iter().filter(|e| e.fields.summary.is_some()).map(|e| e.fields.person_id).collect();
                let key_rows = self.store.key_rows(&mut self.tx, &ids).await?;
                let keys = self.store.sealer.unwrap_all(&key_rows)?;
                let mut rows = Vec::with_capacity(entries.len());
                for entry in entries {
                    let summary = match keys.get(&entry.fields.person_id) {
                        Some(key) => crate::rows::sealed_summary(&self.store.sealer, key, entry)?,
                        None if entry.fields.summary.is_none() => None,
                        None => return Err(crate::StoreError::Crypto(format!("person {} has no data key", entry.fields.person_id))),
                    };
                    rows.push(crate::rows::contact_params(entry, summary));
                }
                $store::bulk_insert(&mut self.tx, &self.store, &crate::sql::CONTACTS, rows).await
            }

            async fn append_audit(&mut self, events: &[hearth_core::audit::AuditEvent]) -> crate::Result<()> {
                $store::lock_in(&mut self.tx, "audit").await?;
                self.store.append_audit(&mut self.tx, events).await
            }

            async fn commit(self: Box<Self>) -> crate::Result<()> {
                self.tx.commit().await?;
                Ok(())
            }

            async fn rollback(self: Box<Self>) -> crate::Result<()> {
                self.tx.rollback().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_store;

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: Option<&str>) -> Param {
        Param::Text(value.map(str::to_string))
    }

    #[test]
    fn only_given_conditions_are_kept_and_renumbered() {
        let (sql, params) = where_given(
            TENANCY_FILTER,
            vec![
                text(None),
                text(Some("p")),
                text(None),
                text(Some("2026-11-22")),
            ],
        );
        assert_eq!(
            sql,
            "property_id = $1::uuid AND start_date <= $2::date AND (end_date IS NULL OR end_date >= $2::date)"
        );
        let values: Vec<String> = params
            .iter()
            .map(|p| match p {
                Param::Text(v) => v.clone().unwrap_or_default(),
                Param::Int(v) => v.unwrap_or_default().to_string(),
            })
            .collect();
        assert_eq!(values, ["p", "2026-11-22"]);
    }

    #[test]
    fn no_condition_given_matches_everything() {
        let (sql, params) = where_given(CONTACT_FILTER, vec![text(None), text(None)]);
        assert_eq!(sql, "1 = 1");
        assert!(params.is_empty());
    }
}
