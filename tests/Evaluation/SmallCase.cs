using Custom.Data.Selection;
using Custom.Evaluation;

namespace Custom.Tests.Evaluation;

/// A hand-checked case: 3 classes, 8 examples, class C never predicted. Probabilities are powers of two so the
/// log-loss is a whole number of ln 2, plus one clipped zero.
internal static class SmallCase
{
    public static ClassSet Classes { get; } = new([new SoundClass(0, "/m/a", "A"), new SoundClass(5, "/m/b", "B"), new SoundClass(9, "/m/c", "C")]);

    //                    truth  probabilities (A, B, C)       predicted  -ln p_true
    public static int[] Truth { get; } =
    [
        0, //             [0.5,  0.25,  0.25 ]  A          ln 2
        0, //             [1,    0,     0    ]  A          0
        0, //             [0.25, 0.5,   0.25 ]  B          2 ln 2
        1, //             [0.25, 0.5,   0.25 ]  B          ln 2
        1, //             [0.5,  0.25,  0.25 ]  A          2 ln 2
        2, //             [0.5,  0.375, 0.125]  A          3 ln 2
        2, //             [0.25, 0.75,  0    ]  B          -ln((float)1e-15), clipped
        0, //             [0.5,  0.5,   0    ]  A (tie → lowest label)  ln 2
    ];

    public static float[][] Probabilities =>
    [
        [0.5f, 0.25f, 0.25f],
        [1f, 0f, 0f],
        [0.25f, 0.5f, 0.25f],
        [0.25f, 0.5f, 0.25f],
        [0.5f, 0.25f, 0.25f],
        [0.5f, 0.375f, 0.125f],
        [0.25f, 0.75f, 0f],
        [0.5f, 0.5f, 0f],
    ];

    public static MulticlassMetrics Metrics() => MulticlassMetrics.Compute(Classes, Truth, Probabilities);
}
