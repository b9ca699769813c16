namespace Custom.Serve.Audio;

/// <summary>
/// Turns an uploaded sound file into VGGish embedding frames, one prediction window per 10 seconds: the seam between
/// the service and the audio front end (Custom.Audio's AudioEmbedder, adapted in <see cref="AudioFrontEnds"/>).
/// </summary>
internal interface IAudioFrontEnd
{
    /// <summary>
    /// Decodes and embeds <paramref name="audio"/>. Called concurrently by requests: implementations are thread-safe.
    /// Throws <see cref="UnsupportedAudioException"/> for audio it cannot decode (the client gets 415 with the message).
    /// </summary>
    IReadOnlyList<EmbeddedWindow> Embed(Stream audio, string? fileName, CancellationToken cancellationToken);
}

/// <summary>One window of audio: its time span and <paramref name="FrameCount"/> frames of 128 bytes (at most 10).</summary>
internal sealed record EmbeddedWindow(double StartSeconds, double EndSeconds, byte[] Frames, int FrameCount);

/// <summary>Audio the front end cannot decode; the message says why and is shown to the client.</summary>
internal sealed class UnsupportedAudioException(string message, Exception? inner = null) : Exception(message, inner);
