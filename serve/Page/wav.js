// Audio helpers for the page: resampling to 16 kHz and 16-bit PCM WAV encoding, done in the browser.

export const TARGET_RATE = 16000;

/** Streams float samples at the capture rate down to 16 kHz, averaging the input over each output period. */
export class Resampler {
  constructor(inputRate, outputRate = TARGET_RATE) {
    this.step = inputRate / outputRate;
    this.pending = new Float32Array(0);
    this.position = 0;
  }

  /** Takes the next input block; returns the 16 kHz samples it completes. */
  push(input) {
    const data = new Float32Array(this.pending.length + input.length);
    data.set(this.pending);
    data.set(input, this.pending.length);
    const out = new Float32Array(Math.max(0, Math.floor((data.length - this.position) / this.step)));
    let position = this.position;
    let n = 0;
    while (n < out.length && position + this.step <= data.length) {
      const from = Math.floor(position);
      const to = Math.max(from + 1, Math.floor(position + this.step));
      let sum = 0;
      for (let k = from; k < to; k++) sum += data[k];
      out[n++] = sum / (to - from);
      position += this.step;
    }
    const consumed = Math.floor(position);
    this.pending = data.slice(consumed);
    this.position = position - consumed;
    return out.subarray(0, n);
  }
}

/** 16-bit mono PCM WAV of float samples in [-1, 1]. */
export function encodeWav(samples, rate = TARGET_RATE) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);        // fmt chunk size
  view.setUint16(20, 1, true);         // PCM
  view.setUint16(22, 1, true);         // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);  // bytes per second
  view.setUint16(32, 2, true);         // bytes per sample frame
  view.setUint16(34, 16, true);        // bits per sample
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buffer], { type: 'audio/wav' });
}

/** Collects 16 kHz samples and hands out chunks of a fixed length. */
export class ChunkCollector {
  constructor(chunkSamples) {
    this.chunkSamples = chunkSamples;
    this.blocks = [];
    this.length = 0;
  }

  add(samples) {
    if (samples.length === 0) return [];
    this.blocks.push(samples);
    this.length += samples.length;
    const chunks = [];
    while (this.length >= this.chunkSamples) chunks.push(this.take(this.chunkSamples));
    return chunks;
  }

  /** Whatever is left (possibly empty). */
  rest() {
    return this.take(this.length);
  }

  take(count) {
    const out = new Float32Array(count);
    let filled = 0;
    while (filled < count) {
      const block = this.blocks[0];
      const used = Math.min(block.length, count - filled);
      out.set(block.subarray(0, used), filled);
      filled += used;
      if (used === block.length) this.blocks.shift(); else this.blocks[0] = block.subarray(used);
    }
    this.length -= count;
    return out;
  }
}
