namespace Custom.Data.Selection;

/// <summary>Counts for one split: clips seen, kept, dropped and why, per class, and frames per clip.</summary>
public sealed class SelectionStats
{
    /// <summary>Frame counts above this are counted together in the last histogram bucket.</summary>
    public const int MaxTrackedFrames = 10;

    private const int MaxSkippedSamples = 10;

    private readonly long[] _perClass;
    private readonly List<string> _skippedSamples = new();
    private readonly long[] _framesAll = new long[MaxTrackedFrames + 1];
    private readonly long[] _framesSelected = new long[MaxTrackedFrames + 1];

    /// <summary>Creates empty counts for a class set.</summary>
    public SelectionStats(ClassSet classes)
    {
        Classes = classes;
        _perClass = new long[classes.Count];
    }

    /// <summary>The classes counted.</summary>
    public ClassSet Classes { get; }

    /// <summary>Every clip read.</summary>
    public long ClipsTotal { get; private set; }

    /// <summary>Clips kept by the policy.</summary>
    public long ClipsSelected { get; private set; }

    /// <summary>Clips dropped because several of their labels are selected classes.</summary>
    public long ClipsMulti { get; private set; }

    /// <summary>Clips dropped because none of their labels is a selected class.</summary>
    public long ClipsNone { get; private set; }

    /// <summary>Corrupt records skipped under <c>--on-corrupt skip</c>.</summary>
    public long RecordsSkipped { get; private set; }

    /// <summary>Bytes of record data read (framing excluded).</summary>
    public long RecordBytes { get; private set; }

    /// <summary>The largest label index of any clip read, or -1 when none was read (see <see cref="Ingest.DataChecks"/>).</summary>
    public int MaxLabel { get; private set; } = -1;

    /// <summary>Clips holding a label above <see cref="LabelCatalog.AudioSetClassCount"/> − 1.</summary>
    public long ClipsWithLabelsBeyondAudioSet { get; private set; }

    /// <summary>Selected clips per class position.</summary>
    public IReadOnlyList<long> PerClass => _perClass;

    /// <summary>All clips by frame count: entry n counts clips with n frames (the last entry: n ≥ 10).</summary>
    public IReadOnlyList<long> FrameCountsAll => _framesAll;

    /// <summary>Selected clips by frame count, like <see cref="FrameCountsAll"/>.</summary>
    public IReadOnlyList<long> FrameCountsSelected => _framesSelected;

    /// <summary>Counts one clip.</summary>
    public void Add(SelectionResult result, int frameCount, int recordBytes)
    {
        ClipsTotal++;
        RecordBytes += recordBytes;
        int bucket = Math.Min(frameCount, MaxTrackedFrames);
        _framesAll[bucket]++;
        switch (result.Outcome)
        {
            case SelectionOutcome.Selected:
                ClipsSelected++;
                _perClass[result.ClassPosition]++;
                _framesSelected[bucket]++;
                break;
            case SelectionOutcome.Multi:
                ClipsMulti++;
                break;
            default:
                ClipsNone++;
                break;
        }
    }

    /// <summary>Notes the label indices of one clip read (kept apart from <see cref="Add"/>, whose callers may not have them).</summary>
    public void NoteLabels(ReadOnlySpan<int> labels)
    {
        int max = -1;
        foreach (int label in labels)
        {
            max = Math.Max(max, label);
        }

        MaxLabel = Math.Max(MaxLabel, max);
        if (max >= LabelCatalog.AudioSetClassCount)
        {
            ClipsWithLabelsBeyondAudioSet++;
        }
    }

    /// <summary>The first few skipped records' problems (file, offset, what is wrong), for warnings.</summary>
    public IReadOnlyList<string> SkippedSamples => _skippedSamples;

    /// <summary>Counts corrupt records skipped, keeping the first few problems.</summary>
    public void AddSkipped(long count, IEnumerable<string> problems)
    {
        RecordsSkipped += count;
        AddSamples(problems);
    }

    private void AddSamples(IEnumerable<string> problems) =>
        _skippedSamples.AddRange(problems.Take(MaxSkippedSamples - _skippedSamples.Count));

    /// <summary>Adds another split part's counts into this one.</summary>
    public void Merge(SelectionStats other)
    {
        ClipsTotal += other.ClipsTotal;
        ClipsSelected += other.ClipsSelected;
        ClipsMulti += other.ClipsMulti;
        ClipsNone += other.ClipsNone;
        RecordsSkipped += other.RecordsSkipped;
        RecordBytes += other.RecordBytes;
        MaxLabel = Math.Max(MaxLabel, other.MaxLabel);
        ClipsWithLabelsBeyondAudioSet += other.ClipsWithLabelsBeyondAudioSet;
        AddSamples(other._skippedSamples);
        AddInto(_perClass, other._perClass);
        AddInto(_framesAll, other._framesAll);
        AddInto(_framesSelected, other._framesSelected);
    }

    private static void AddInto(long[] target, long[] source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}
