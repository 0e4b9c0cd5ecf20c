// Hearth's video call pages. The resident's page and the engineer's page connect peer to peer
// with WebRTC; Hearth only passes the offer, answer and ICE candidates between them over a
// WebSocket, and tells both pages when the call ends (the engineer hangs up, or the resident
// withdraws consent). The engineer's page can record what the resident's camera shows: the
// recording is uploaded in numbered chunks while the call goes on, and filed when it stops.
// The review page plays a filed recording back for the purpose the viewer chooses.
'use strict';

(function () {
  const call = document.getElementById('call');
  if (call) {
    startCall(call);
  }
  const review = document.getElementById('review');
  if (review) {
    startReview(review);
  }

  // Requests the engineer's and reviewer's pages make: the session cookie goes by itself; the
  // CSRF token and the register purpose go as headers.
  function api(path, options, csrf, purpose) {
    const headers = Object.assign({ 'X-CSRF-Token': csrf, 'X-Hearth-Purpose': purpose }, options.headers || {});
    return fetch(path, Object.assign({}, options, { headers: headers, credentials: 'same-origin' }))
      .then(function (response) {
        if (response.ok) {
          return response;
        }
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw new Error(body.message || ('The server answered ' + response.status));
        });
      });
  }

  function startCall(root) {
    const role = root.dataset.role;
    const status = document.getElementById('call-status');
    const recordingTag = document.getElementById('recording');
    const localVideo = document.getElementById('local-video');
    const remoteVideo = document.getElementById('remote-video');
    let peer = null;
    let socket = null;
    let localStream = null;
    let iceServers = [];
    let pending = [];
    let over = false;

    function show(state, text) {
      root.dataset.state = state;
      status.textContent = text;
    }

    function send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message));
      }
    }

    function newPeer() {
      if (peer) {
        peer.close();
      }
      pending = [];
      peer = new RTCPeerConnection({ iceServers: iceServers });
      localStream.getTracks().forEach(function (track) { peer.addTrack(track, localStream); });
      peer.onicecandidate = function (event) {
        send({ type: 'signal', data: { candidate: event.candidate ? event.candidate.toJSON() : null } });
      };
      peer.ontrack = function (event) {
        remoteVideo.srcObject = event.streams[0];
      };
      peer.onconnectionstatechange = function () {
        if (over) {
          return;
        }
        if (peer.connectionState === 'connected') {
          show('connected', role === 'engineer' ? 'You are connected to the resident.' : 'You are connected to the engineer.');
          root.dispatchEvent(new CustomEvent('hearth:connected'));
        } else if (peer.connectionState === 'failed') {
          show('failed', 'The connection was lost. Keep this page open: it will reconnect when the other side rejoins.');
        }
      };
      return peer;
    }

    async function flushCandidates() {
      const waiting = pending;
      pending = [];
      for (const candidate of waiting) {
        await peer.addIceCandidate(candidate);
      }
    }

    async function onSignal(data) {
      if (data.sdp && data.sdp.type === 'offer') {
        newPeer();
        await peer.setRemoteDescription(data.sdp);
        await peer.setLocalDescription(await peer.createAnswer());
        send({ type: 'signal', data: { sdp: peer.localDescription.toJSON() } });
        await flushCandidates();
      } else if (data.sdp && data.sdp.type === 'answer' && peer) {
        await peer.setRemoteDescription(data.sdp);
        await flushCandidates();
      } else if ('candidate' in data) {
        const candidate = data.candidate || null;
        if (peer && peer.remoteDescription) {
          await peer.addIceCandidate(candidate);
        } else {
          pending.push(candidate);
        }
      }
    }

    async function offer() {
      newPeer();
      await peer.setLocalDescription(await peer.createOffer());
      send({ type: 'signal', data: { sdp: peer.localDescription.toJSON() } });
    }

    function hangUp(text) {
      over = true;
      show('ended', text);
      if (peer) {
        peer.close();
      }
      if (localStream) {
        localStream.getTracks().forEach(function (track) { track.stop(); });
      }
      root.dispatchEvent(new CustomEvent('hearth:ended'));
    }

    function connect() {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(scheme + '//' + location.host + root.dataset.signal);
      socket.onmessage = function (event) {
        const message = JSON.parse(event.data);
        handle(message).catch(function (error) {
          show('error', 'Something went wrong with the call: ' + error.message);
        });
      };
      socket.onclose = function () {
        if (!over) {
          show('reconnecting', 'Reconnecting...');
          setTimeout(connect, 2000);
        }
      };
    }

    async function handle(message) {
      switch (message.type) {
        case 'welcome':
          iceServers = message.ice_servers || [];
          recordingTag.hidden = !message.recording;
          if (!message.peer_present) {
            show('waiting', role === 'engineer' ? 'Waiting for the resident to join.' : 'Keep this page open. The engineer will join you here.');
          }
          break;
        case 'peer':
          if (!message.present) {
            show('waiting', role === 'engineer' ? 'The resident has left the page. Waiting for them to come back.' : 'The engineer has left the call for now. Keep this page open.');
          }
          break;
        case 'start':
          if (role === 'engineer') {
            await offer();
          }
          break;
        case 'signal':
          await onSignal(message.data);
          break;
        case 'recording':
          recordingTag.hidden = !message.on;
          break;
        case 'ended':
          hangUp(message.message);
          break;
        case 'error':
          show('error', 'The call could not go on: ' + message.message);
          break;
      }
    }

    navigator.mediaDevices.getUserMedia({ video: true, audio: true })
      .then(function (stream) {
        localStream = stream;
        localVideo.srcObject = stream;
        connect();
      })
      .catch(function () {
        show('no-camera', 'We could not use your camera and microphone. Allow them in your browser and reload this page.');
      });

    if (role === 'engineer') {
      engineerControls(root, function () { return remoteVideo.srcObject; }, show);
    }
  }

  function engineerControls(root, remoteStream, show) {
    const callId = root.dataset.call;
    const csrf = root.dataset.csrf;
    const purpose = root.dataset.purpose;
    const startButton = document.getElementById('record-start');
    const stopButton = document.getElementById('record-stop');
    const endButton = document.getElementById('end-call');
    const recordingStatus = document.getElementById('recording-status');
    const list = document.getElementById('recordings');
    let recorder = null;
    let recordingId = null;
    let seq = 0;
    let uploads = Promise.resolve();

    root.addEventListener('hearth:connected', function () { startButton.disabled = false; });
    root.addEventListener('hearth:ended', function () {
      startButton.disabled = true;
      endButton.disabled = true;
      stop();
    });

    function mediaType() {
      const wanted = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'];
      return wanted.find(function (type) { return MediaRecorder.isTypeSupported(type); }) || 'video/webm';
    }

    function upload(blob) {
      const n = seq;
      seq += 1;
      const id = recordingId;
      // Chunks go one after another, in order; a failed one is tried again before the next.
      uploads = uploads.then(async function () {
        for (let attempt = 1; ; attempt += 1) {
          try {
            await api('/api/recordings/' + id + '/chunks/' + n, {
              method: 'PUT', body: blob, headers: { 'Content-Type': 'application/octet-stream' },
            }, csrf, purpose);
            recordingStatus.textContent = 'Recording: ' + (n + 1) + ' part(s) uploaded.';
            return;
          } catch (error) {
            if (attempt >= 5) {
              recordingStatus.textContent = 'Part ' + n + ' could not be uploaded: ' + error.message;
              throw error;
            }
            await new Promise(function (resolve) { setTimeout(resolve, 1000 * attempt); });
          }
        }
      });
    }

    startButton.addEventListener('click', async function () {
      const stream = remoteStream();
      if (!stream) {
        return;
      }
      const type = mediaType();
      try {
        const response = await api('/api/video-calls/' + callId + '/recordings', {
          method: 'POST', body: JSON.stringify({ content_type: type }), headers: { 'Content-Type': 'application/json' },
        }, csrf, purpose);
        const recording = await response.json();
        recordingId = recording.id;
        seq = 0;
        uploads = Promise.resolve();
        recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 500000 });
        recorder.ondataavailable = function (event) {
          if (event.data && event.data.size > 0) {
            upload(event.data);
          }
        };
        recorder.onstop = finish;
        recorder.start(2000);
        startButton.hidden = true;
        stopButton.hidden = false;
        root.dataset.recording = 'on';
        recordingStatus.textContent = 'Recording.';
      } catch (error) {
        recordingStatus.textContent = 'The recording could not start: ' + error.message;
      }
    });

    function stop() {
      if (recorder && recorder.state !== 'inactive') {
        recorder.stop();
      }
    }
    stopButton.addEventListener('click', stop);

    async function finish() {
      const id = recordingId;
      recorder = null;
      stopButton.hidden = true;
      startButton.hidden = false;
      try {
        await uploads;
        const response = await api('/api/recordings/' + id + '/finish', { method: 'POST' }, csrf, purpose);
        const recording = await response.json();
        root.dataset.recording = recording.state;
        recordingStatus.textContent = recording.state === 'filed'
          ? 'The recording is saved. It is kept for four weeks.'
          : 'Nothing was recorded.';
        if (recording.state === 'filed') {
          const item = document.createElement('li');
          const link = document.createElement('a');
          link.className = 'govuk-link';
          link.href = '/staff/recordings/' + recording.id;
          link.textContent = 'Recording started ' + new Date(recording.started_at).toLocaleTimeString('en-GB');
          item.appendChild(link);
          list.appendChild(item);
        }
      } catch (error) {
        root.dataset.recording = 'failed';
        recordingStatus.textContent = 'The recording could not be saved: ' + error.message;
      }
    }

    endButton.addEventListener('click', async function () {
      endButton.disabled = true;
      try {
        await api('/api/video-calls/' + callId + '/end', { method: 'POST' }, csrf, purpose);
      } catch (error) {
        endButton.disabled = false;
        show('error', 'The call could not be ended: ' + error.message);
      }
    });
  }

  function startReview(root) {
    const button = document.getElementById('watch');
    const status = document.getElementById('review-status');
    const video = document.getElementById('playback');
    button.addEventListener('click', async function () {
      const chosen = document.querySelector('input[name="purpose"]:checked');
      status.textContent = 'Loading...';
      try {
        const response = await api('/api/recordings/' + root.dataset.recording + '/video', { method: 'GET' }, root.dataset.csrf, chosen ? chosen.value : '');
        const blob = await response.blob();
        video.src = URL.createObjectURL(blob);
        video.hidden = false;
        status.textContent = '';
        root.dataset.state = 'playing';
      } catch (error) {
        video.hidden = true;
        root.dataset.state = 'refused';
        status.textContent = error.message;
      }
    });
  }
})();
