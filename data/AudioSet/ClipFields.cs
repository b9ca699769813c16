namespace Custom.Data.AudioSet;

/// The fields of one AudioSet record as positions into the record's bytes, reused from record to record so the
/// scanning hot path allocates nothing. <see cref="AudioSetClip"/> is the materialized, owning form.
internal sealed class ClipFields
{
    private int[] _labels = new int[8];
    private int[] _frameOffsets = new int[16];

    public int VideoIdOffset { get; set; } = -1;
    public int VideoIdLength { get; set; }
    public float StartTimeSeconds { get; set; } = float.NaN;
    public float EndTimeSeconds { get; set; } = float.NaN;
    public bool HasStart { get; set; }
    public bool HasEnd { get; set; }
    public bool HasLabels { get; set; }
    public bool HasEmbedding { get; set; }
    public int LabelCount { get; private set; }
    public int FrameCount { get; private set; }

    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, LabelCount);

    /// Offsets of each 128-byte frame within the record.
    public ReadOnlySpan<int> FrameOffsets => _frameOffsets.AsSpan(0, FrameCount);

    public void Reset()
    {
        VideoIdOffset = -1;
        VideoIdLength = 0;
        StartTimeSeconds = EndTimeSeconds = float.NaN;
        HasStart = HasEnd = HasLabels = HasEmbedding = false;
        LabelCount = 0;
        FrameCount = 0;
    }

    public void ClearLabels() => LabelCount = 0;

    public void AddLabel(int label)
    {
        if (LabelCount == _labels.Length)
        {
            Array.Resize(ref _labels, _labels.Length * 2);
        }

        _labels[LabelCount++] = label;
    }

    public void ClearFrames() => FrameCount = 0;

    public void AddFrame(int offset)
    {
        if (FrameCount == _frameOffsets.Length)
        {
            Array.Resize(ref _frameOffsets, _frameOffsets.Length * 2);
        }

        _frameOffsets[FrameCount++] = offset;
    }
}
