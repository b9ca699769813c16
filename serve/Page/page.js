// The page's logic: model choice, uploads, and live recording sent to POST /predict every 10 seconds.
import { ChunkCollector, encodeWav, Resampler, TARGET_RATE } from './wav.js';

const CHUNK_SECONDS = 10;
const $ = (id) => document.getElementById(id);

let audioAvailable = false;

function percent(p) {
  return (p * 100).toFixed(1) + '%';
}

/** A prediction as a small card: heading, top class and one bar per class, highest first. */
function predictionCard(title, prediction) {
  const card = document.createElement('div');
  card.className = 'clip';
  card.dataset.label = prediction.label;
  card.dataset.score = String(prediction.score);
  const heading = document.createElement('h3');
  heading.textContent = title;
  const top = document.createElement('div');
  top.className = 'top';
  // An open-set model's "other": the sound is none of the classes it knows.
  top.textContent = prediction.other === true
    ? `none of the ${Object.keys(prediction.probabilities).length - 1} classes (${prediction.label}) ${percent(prediction.score)}`
    : `${prediction.label} ${percent(prediction.score)}`;
  if (prediction.other === true) {
    card.classList.add('other');
    card.dataset.other = 'true';
  }
  const bars = document.createElement('div');
  bars.className = 'bars';
  const entries = Object.entries(prediction.probabilities).sort((a, b) => b[1] - a[1]);
  for (const [name, p] of entries) {
    const row = name === prediction.label ? 'best' : '';
    const label = document.createElement('span');
    label.textContent = name;
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = percent(p);
    bar.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = percent(p);
    for (const cell of [label, bar, value]) { if (row) cell.classList.add(row); bars.append(cell); }
  }
  card.append(heading, top, bars);
  return card;
}

function clipTitle(p, index) {
  if (p.video_id !== undefined) return `${p.video_id} @ ${p.start_time_seconds} s`;
  if (p.start_seconds !== undefined) return `${p.start_seconds.toFixed(1)}–${p.end_seconds.toFixed(1)} s`;
  return p.id ?? `clip ${index + 1}`;
}

async function predict(form) {
  const model = $('model').value;
  const response = await fetch('/predict' + (model ? `?model=${encodeURIComponent(model)}` : ''), { method: 'POST', body: form });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ?? `${response.status} ${response.statusText}`);
  return body;
}

function setStatus(id, text, error = false) {
  const element = $(id);
  element.textContent = text;
  element.classList.toggle('error', error);
}

// ---- server and models ----

async function loadModels() {
  try {
    const response = await fetch('/models');
    const info = await response.json();
    const select = $('model');
    for (const model of info.models) {
      const option = document.createElement('option');
      option.value = model.name;
      const f1 = model.metrics?.macro_f1;
      option.textContent = model.name + (model.trainer ? ` (${model.trainer}` + (typeof f1 === 'number' ? `, macro-F1 ${f1.toFixed(3)})` : ')') : '');
      select.append(option);
    }
    $('model-choice').hidden = info.models.length < 2;
    audioAvailable = info.audio_front_end;
    const first = info.models[0];
    const classes = first.open_set
      ? `${first.classes.slice(0, -1).join(', ')}, or "${first.classes.at(-1)}" for none of them`
      : first.classes.join(', ');
    setStatus('server-status', `${info.models.length} model${info.models.length === 1 ? '' : 's'} loaded; classes: ${classes}.`);
    if (audioAvailable && navigator.mediaDevices?.getUserMedia) {
      $('record').disabled = false;
    } else {
      const notice = $('record-unavailable');
      notice.hidden = false;
      notice.textContent = audioAvailable
        ? 'This browser cannot capture the microphone here (it needs a secure context: https or localhost).'
        : 'This server has no audio front end, so it cannot classify recordings or sound files. Start it with ' +
          'custom serve --vggish VGGISH.onnx [--pca PCA_PARAMS.npz] to enable them; .tfrecord uploads work without it.';
    }
  } catch (error) {
    setStatus('server-status', `The server did not answer: ${error.message}`, true);
  }
}

// ---- upload ----

$('upload').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) { setStatus('upload-status', 'Choose a file first.', true); return; }
  const isTfRecord = file.name.toLowerCase().endsWith('.tfrecord');
  if (!isTfRecord && !audioAvailable) {
    setStatus('upload-status', 'This server has no audio front end: upload a .tfrecord, or start the server with --vggish.', true);
    return;
  }
  const form = new FormData();
  form.append(isTfRecord ? 'tfrecord' : 'audio', file, file.name);
  setStatus('upload-status', 'Classifying…');
  try {
    const answer = await predict(form);
    const results = $('results');
    results.replaceChildren(...answer.predictions.map((p, i) => predictionCard(clipTitle(p, i), p)));
    setStatus('upload-status', `${answer.predictions.length} prediction${answer.predictions.length === 1 ? '' : 's'} (model ${answer.model}).`);
  } catch (error) {
    setStatus('upload-status', error.message, true);
  }
});

// ---- live recording ----

let recording = null;

async function startRecording() {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext();
  await context.audioWorklet.addModule('/page/capture-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'capture', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
  const state = {
    stream, context, source, capture,
    resampler: new Resampler(context.sampleRate),
    collector: new ChunkCollector(CHUNK_SECONDS * TARGET_RATE),
    started: new Date(),
    sent: 0,
    pending: [],
    flushed: null,
  };
  capture.port.onmessage = (event) => {
    if (event.data === 'flushed') { state.flushed?.(); return; }
    for (const chunk of state.collector.add(state.resampler.push(event.data))) send(state, chunk);
  };
  source.connect(capture);
  capture.connect(context.destination); // the node outputs silence; connecting keeps it running
  return state;
}

function send(state, samples) {
  const index = state.sent++;
  const offset = index * CHUNK_SECONDS;
  const at = new Date(state.started.getTime() + offset * 1000);
  const form = new FormData();
  form.append('audio', encodeWav(samples), `recording-${index + 1}.wav`);
  const item = document.createElement('li');
  const when = document.createElement('span');
  when.className = 'when';
  when.textContent = `${at.toLocaleTimeString()} (+${offset}–${(offset + samples.length / TARGET_RATE).toFixed(1)} s)`;
  item.append(when, document.createTextNode('classifying…'));
  $('live').prepend(item);
  const done = predict(form).then((answer) => {
    item.lastChild.remove();
    item.dataset.label = answer.predictions[0].label;
    for (const p of answer.predictions) item.append(predictionCard(`${(offset + p.start_seconds).toFixed(1)}–${(offset + p.end_seconds).toFixed(1)} s`, p));
  }).catch((error) => {
    item.lastChild.textContent = error.message;
    item.classList.add('error');
  });
  state.pending.push(done);
}

$('record').addEventListener('click', async () => {
  $('record').disabled = true;
  try {
    recording = await startRecording();
    $('stop').disabled = false;
    setStatus('record-status', 'Recording… a prediction every 10 seconds.');
  } catch (error) {
    $('record').disabled = false;
    setStatus('record-status', `Cannot record: ${error.message}`, true);
  }
});

$('stop').addEventListener('click', async () => {
  const state = recording;
  recording = null;
  $('stop').disabled = true;
  // Take the samples still in the worklet, then send what is left as the last chunk.
  await new Promise((resolve) => { state.flushed = resolve; state.capture.port.postMessage('flush'); });
  state.source.disconnect();
  state.capture.disconnect();
  state.stream.getTracks().forEach((track) => track.stop());
  await state.context.close();
  const rest = state.collector.rest();
  if (rest.length > 0) send(state, rest);
  await Promise.all(state.pending);
  setStatus('record-status', `Stopped; ${state.sent} recording${state.sent === 1 ? '' : 's'} sent.`);
  $('record').disabled = false;
});

loadModels();
