using System.Text.Json;
using Custom.Inference;

namespace Custom.Serve.Api;

/// Clips of a JSON predict request, checked and packed as 128-byte frames for Custom.Inference.
internal sealed record ParsedClips(IReadOnlyList<string?> Ids, IReadOnlyList<ReadOnlyMemory<byte>> Frames)
{
    public const string Shape = "{\"clips\":[{\"id\":\"optional\",\"frames\":[[128 integers 0–255], …1 to 10 frames]}]}";

    /// Parses and checks the body; every problem is a 400 whose detail names the clip, frame and value.
    public static ParsedClips Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw RequestProblem.BadRequest($"the body is empty; send {Shape}");
        }

        PredictRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ServeJson.Default.PredictRequest);
        }
        catch (JsonException e)
        {
            throw RequestProblem.BadRequest(Describe(e));
        }

        var clips = request?.Clips;
        if (clips is null || clips.Count == 0)
        {
            throw RequestProblem.BadRequest($"no clips: 'clips' is missing or empty; send {Shape}");
        }

        int total = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            total += Check(clips[i], i);
        }

        // One array for every frame of the request; each clip is a slice of it.
        var bytes = new byte[total * SoundClassifier.FrameSize];
        var ids = new string?[clips.Count];
        var frames = new ReadOnlyMemory<byte>[clips.Count];
        int offset = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            ids[i] = clips[i].Id;
            int start = offset;
            foreach (var frame in clips[i].Frames!)
            {
                foreach (int value in frame)
                {
                    bytes[offset++] = (byte)value;
                }
            }

            frames[i] = bytes.AsMemory(start, offset - start);
        }

        return new ParsedClips(ids, frames);
    }

    private static int Check(ClipInput? clip, int index)
    {
        if (clip?.Frames is not { } frames)
        {
            throw RequestProblem.BadRequest($"clips[{index}]: 'frames' is missing; a clip is {{\"frames\":[[128 integers 0–255], …]}}");
        }

        if (frames.Length is 0 or > SoundClassifier.MaxFrames)
        {
            throw RequestProblem.BadRequest($"clips[{index}]: {frames.Length} frames; a clip has 1 to {SoundClassifier.MaxFrames} frames (one per second, as in AudioSet)");
        }

        for (int f = 0; f < frames.Length; f++)
        {
            var frame = frames[f];
            if (frame is null || frame.Length != SoundClassifier.FrameSize)
            {
                throw RequestProblem.BadRequest($"clips[{index}].frames[{f}]: {(frame is null ? "null" : frame.Length + " values")}; a frame has {SoundClassifier.FrameSize} integers 0–255");
            }

            for (int v = 0; v < frame.Length; v++)
            {
                if ((uint)frame[v] > 255)
                {
                    throw RequestProblem.BadRequest($"clips[{index}].frames[{f}][{v}]: {frame[v]} is outside 0–255");
                }
            }
        }

        return frames.Length;
    }

    private static string Describe(JsonException e)
    {
        string where = $"{e.Path ?? "$"} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";

        // System.Text.Json's own wording names .NET types for a value of the wrong kind; say what the API expects.
        return e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? $"unexpected value at {where}: ids are strings, frames are arrays of integers 0–255; send {Shape}"
            : $"malformed JSON at {where}: {FirstSentence(e.Message)}";
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
