// Runs on the audio thread: hands the microphone's samples (channels averaged to mono) to the page in blocks.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(4096);
    this.filled = 0;
    this.port.onmessage = (event) => { if (event.data === 'flush') this.flush(); };
  }

  flush() {
    if (this.filled > 0) this.port.postMessage(this.block.slice(0, this.filled));
    this.filled = 0;
    this.port.postMessage('flushed');
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i];
      this.block[this.filled++] = sum / channels.length;
      if (this.filled === this.block.length) {
        this.port.postMessage(this.block.slice());
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('capture', CaptureProcessor);
