namespace Custom.Data.Selection;

/// <summary>Why a clip was kept or dropped.</summary>
public enum SelectionOutcome
{
    /// <summary>Kept, as <see cref="SelectionResult.ClassPosition"/>.</summary>
    Selected,
    /// <summary>Dropped: several of its labels are selected classes.</summary>
    Multi,
    /// <summary>Dropped: none of its labels is a selected class.</summary>
    None,
}

/// <summary>The outcome for one clip and, when selected, its class position in the <see cref="ClassSet"/>.</summary>
public readonly record struct SelectionResult(SelectionOutcome Outcome, int ClassPosition);

/// <summary>Applies a <see cref="ClassSet"/> and <see cref="SelectionPolicy"/> to clip labels.</summary>
public sealed class ClipSelector
{
    private readonly int[] _positionByIndex; // AudioSet index → class position, -1 when not selected

    /// <summary>Creates a selector.</summary>
    public ClipSelector(ClassSet classes, SelectionPolicy policy = SelectionPolicy.ExactlyOne)
    {
        Classes = classes;
        Policy = policy;
        _positionByIndex = new int[classes.Max(c => c.Index) + 1];
        Array.Fill(_positionByIndex, -1);
        for (int i = 0; i < classes.Count; i++)
        {
            _positionByIndex[classes[i].Index] = i;
        }
    }

    /// <summary>The default: the ten urban classes, exactly one selected label.</summary>
    public static ClipSelector Default { get; } = new(ClassSet.Default);

    /// <summary>The classes selected.</summary>
    public ClassSet Classes { get; }

    /// <summary>The policy applied.</summary>
    public SelectionPolicy Policy { get; }

    /// <summary>Decides for one clip's AudioSet label indices.</summary>
    public SelectionResult Select(ReadOnlySpan<int> labels)
    {
        int best = -1;
        int distinct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int position = PositionOf(labels[i]);
            if (position < 0 || SeenBefore(labels, i, position))
            {
                continue;
            }

            distinct++;
            if (best < 0 || position < best)
            {
                best = position;
            }
        }

        if (distinct == 0)
        {
            return new SelectionResult(SelectionOutcome.None, -1);
        }

        return distinct == 1 || Policy == SelectionPolicy.FirstListed
            ? new SelectionResult(SelectionOutcome.Selected, best)
            : new SelectionResult(SelectionOutcome.Multi, -1);
    }

    private int PositionOf(int label) => (uint)label < (uint)_positionByIndex.Length ? _positionByIndex[label] : -1;

    // Clips carry a handful of labels, so a backward scan beats any set; it keeps a repeated label from counting twice.
    private bool SeenBefore(ReadOnlySpan<int> labels, int i, int position)
    {
        for (int j = 0; j < i; j++)
        {
            if (PositionOf(labels[j]) == position)
            {
                return true;
            }
        }

        return false;
    }
}
