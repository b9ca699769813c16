namespace Custom.Audio.Decoding;

/// Picks the decoder: WAV (RIFF/RF64 … WAVE) in process, everything else through ffmpeg. Bounds the input size first.
internal static class AudioDecoder
{
    private const int HeadSize = 12;

    public static DecodedAudio Decode(Stream stream, string name, CancellationToken cancellationToken)
    {
        var seekable = stream.CanSeek ? stream : BoundedCopy(stream, name);
        try
        {
            long length = seekable.Length - seekable.Position;
            if (length == 0)
            {
                throw new AudioFormatException($"{name}: the file is empty");
            }

            if (length > AudioLimits.MaxInputBytes)
            {
                throw new AudioFormatException($"{name}: {length:N0} bytes is more than the {AudioLimits.MaxInputBytes:N0}-byte limit");
            }

            long start = seekable.Position;
            Span<byte> head = stackalloc byte[HeadSize];
            int read = seekable.ReadAtLeast(head, HeadSize, throwOnEndOfStream: false);
            seekable.Position = start;
            return WavDecoder.LooksLikeWav(head[..read])
                ? WavDecoder.Decode(seekable, name)
                : FfmpegDecoder.Decode(seekable, name, cancellationToken);
        }
        finally
        {
            if (!ReferenceEquals(seekable, stream))
            {
                seekable.Dispose();
            }
        }
    }

    /// Copies a forward-only stream into memory, refusing it as soon as it passes the size limit.
    private static MemoryStream BoundedCopy(Stream stream, string name)
    {
        var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (copy.Length + n > AudioLimits.MaxInputBytes)
            {
                copy.Dispose();
                throw new AudioFormatException($"{name}: more than the {AudioLimits.MaxInputBytes:N0}-byte limit");
            }

            copy.Write(buffer, 0, n);
        }

        copy.Position = 0;
        return copy;
    }
}
