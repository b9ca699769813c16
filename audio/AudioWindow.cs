namespace Custom.Audio;

/// <summary>
/// One 10-second window of a recording as AudioSet embedding frames: <paramref name="FrameCount"/> (1 to 10)
/// quantized 128-byte frames, one per 0.96 s example, frame-major in <paramref name="Frames"/>.
/// </summary>
/// <param name="StartSeconds">Where the window starts in the recording, in seconds.</param>
/// <param name="EndSeconds">Where the window's audio ends (the recording's end for the last window), in seconds.</param>
/// <param name="Frames">FrameCount × 128 bytes.</param>
/// <param name="FrameCount">Number of frames, 1 to 10.</param>
public sealed record AudioWindow(double StartSeconds, double EndSeconds, byte[] Frames, int FrameCount);
