using System.Text;
using Google.Protobuf;
using Custom.Data.TfRecords;

namespace Custom.Data.AudioSet;

/// <summary>
/// One AudioSet segment: its YouTube id, time span, label indices and VGGish embedding frames
/// (one 128-byte quantized frame per second; usually 10, sometimes fewer).
/// </summary>
public sealed class AudioSetClip
{
    /// <summary>Bytes per embedding frame.</summary>
    public const int FrameSize = 128;

    private readonly int[] _labels;
    private readonly byte[] _frames;

    /// <summary>Creates a clip; <paramref name="frames"/> holds n × 128 bytes with n ≥ 1.</summary>
    public AudioSetClip(string videoId, float startTimeSeconds, float endTimeSeconds, IEnumerable<int> labels, byte[] frames)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Length == 0 || frames.Length % FrameSize != 0)
        {
            throw new ArgumentException($"frames must hold a whole, positive number of {FrameSize}-byte frames, not {frames.Length} bytes", nameof(frames));
        }

        VideoId = videoId;
        StartTimeSeconds = startTimeSeconds;
        EndTimeSeconds = endTimeSeconds;
        _labels = labels.ToArray();
        _frames = frames;
    }

    /// <summary>YouTube video id.</summary>
    public string VideoId { get; }

    /// <summary>Segment start within the video, in seconds.</summary>
    public float StartTimeSeconds { get; }

    /// <summary>Segment end within the video, in seconds.</summary>
    public float EndTimeSeconds { get; }

    /// <summary>AudioSet class indices (rows of class_labels_indices.csv).</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>All frames, n × 128 bytes, frame-major.</summary>
    public ReadOnlyMemory<byte> Frames => _frames;

    /// <summary>Number of one-second frames.</summary>
    public int FrameCount => _frames.Length / FrameSize;

    /// <summary>The 128 bytes of frame <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetFrame(int index) => _frames.AsSpan(index * FrameSize, FrameSize);

    /// <summary>
    /// Parses a serialized <c>tf.train.SequenceExample</c> record.
    /// Throws <see cref="InvalidInputException"/> when the record is not a valid AudioSet clip.
    /// </summary>
    public static AudioSetClip Parse(ReadOnlySpan<byte> record)
    {
        var fields = new ClipFields();
        string? error = ClipParser.TryParse(record, fields);
        if (error is not null)
        {
            throw new InvalidInputException("invalid AudioSet record: " + error);
        }

        return FromFields(record, fields);
    }

    /// <summary>Serializes the clip as a <c>tf.train.SequenceExample</c> (the record data a TFRecord file holds).</summary>
    public byte[] ToRecord() => ClipProto.ToSequenceExample(this).ToByteArray();

    /// <summary>Appends this clip to a TFRecord writer.</summary>
    public void WriteTo(TfRecordWriter writer) => writer.Write(ToRecord());

    internal static AudioSetClip FromFields(ReadOnlySpan<byte> record, ClipFields fields)
    {
        var frames = new byte[fields.FrameCount * FrameSize];
        var offsets = fields.FrameOffsets;
        for (int i = 0; i < offsets.Length; i++)
        {
            record.Slice(offsets[i], FrameSize).CopyTo(frames.AsSpan(i * FrameSize));
        }

        string videoId = Encoding.UTF8.GetString(record.Slice(fields.VideoIdOffset, fields.VideoIdLength));
        return new AudioSetClip(videoId, fields.StartTimeSeconds, fields.EndTimeSeconds, fields.Labels.ToArray(), frames);
    }

    /// <inheritdoc />
    public override string ToString() => $"{VideoId} [{StartTimeSeconds}-{EndTimeSeconds}s] labels {string.Join(',', _labels)}, {FrameCount} frames";
}
