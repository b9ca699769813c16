using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.OpenSet;
using Custom.Training.Packaging;
using Custom.Training.Trainers;

namespace Custom.Tests.Support;

/// Synthetic open-set data: clips of the ten default classes whose frames lean towards a class-specific block of
/// dimensions, and none-clips (labelled with a class outside the ten) whose frames sit in between, so a model can learn
/// "other" from them.
internal static class OpenSetData
{
    /// An AudioSet index that is none of the ten classes.
    public const int NoneLabel = 500;

    public static AudioSetClip Known(string videoId, int position, int frames, Random random) =>
        Make(videoId, [ClassSet.Default[position].Index], frames, random, dimension => dimension / 13 == position ? 200 : 60);

    public static AudioSetClip None(string videoId, int frames, Random random) =>
        Make(videoId, [NoneLabel], frames, random, _ => 130);

    /// A none-clip whose frames lean towards class <paramref name="position"/> as that class's own clips do: one no
    /// model can tell from them, so turning it away turns away the class too.
    public static AudioSetClip NoneLike(string videoId, int position, int frames, Random random) =>
        Make(videoId, [NoneLabel], frames, random, dimension => dimension / 13 == position ? 200 : 60);

    /// A clip carrying two of the ten classes (a multi-clip), leaning towards the first.
    public static AudioSetClip Multi(string videoId, int first, int second, int frames, Random random) =>
        Make(videoId, [ClassSet.Default[first].Index, ClassSet.Default[second].Index], frames, random, dimension => dimension / 13 == first ? 200 : 60);

    /// <paramref name="known"/> clips (classes in turn) and <paramref name="none"/> none-clips.
    public static (List<LabeledClip> Known, List<AudioSetClip> None) Training(int known, int none, int seed)
    {
        var random = new Random(seed);
        var clips = Enumerable.Range(0, known).Select(i => new LabeledClip(Known($"k{seed}_{i}", i % 10, 1 + random.Next(10), random), i % 10)).ToList();
        var others = Enumerable.Range(0, none).Select(i => None($"n{seed}_{i}", 1 + random.Next(10), random)).ToList();
        return (clips, others);
    }

    /// Evaluation clips of every kind: known, none and multi.
    public static List<OpenSetClip> Eval(int seed)
    {
        var random = new Random(seed);
        var clips = new List<AudioSetClip>();
        clips.AddRange(Enumerable.Range(0, 40).Select(i => Known($"ek{i}", i % 10, 1 + random.Next(10), random)));
        clips.AddRange(Enumerable.Range(0, 30).Select(i => None($"en{i}", 1 + random.Next(10), random)));
        clips.AddRange(Enumerable.Range(0, 5).Select(i => Multi($"em{i}", i, i + 5, 1 + random.Next(10), random)));
        return clips.Select(c => OpenSetClip.Of(c, ClassSet.Default)).ToList();
    }

    public static TrainingOptions Options(int seed = 1) =>
        new() { Folds = 2, Seed = seed, Parallelism = 1, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)], OpenSet = true };

    public static TrainingResult Train(IReadOnlyList<OpenSetClip>? eval, int seed = 1)
    {
        var (known, none) = Training(200, 150, seed);
        return OpenSetSession.Run(ClassSet.Default, known, none, eval, Options(seed));
    }

    /// Trains an open-set package on the synthetic data into <paramref name="folder"/>.
    public static string Package(string folder, int seed = 1)
    {
        var run = Train(Eval(seed + 100), seed);
        Directory.CreateDirectory(folder);
        ModelPackage.Write(folder, run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "synthetic", 0, "test"), null, DateTime.UnixEpoch);
        return folder;
    }

    private static AudioSetClip Make(string videoId, int[] labels, int frames, Random random, Func<int, int> centre)
    {
        var bytes = new byte[frames * AudioSetClip.FrameSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)Math.Clamp(centre(i % AudioSetClip.FrameSize) + random.Next(-50, 51), 0, 255);
        }

        return new AudioSetClip(videoId, 0, frames, labels, bytes);
    }
}

/// One synthetic open-set package per test class (read-only).
public sealed class OpenSetPackageFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public OpenSetPackageFixture() => Directory = OpenSetData.Package(_temp.Folder("open-set"));

    public string Directory { get; }

    public void Dispose() => _temp.Dispose();
}
