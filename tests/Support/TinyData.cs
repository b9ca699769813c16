using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Packaging;
using Custom.Training.Trainers;

namespace Custom.Tests.Support;

/// A small AudioSet-shaped data folder and a package trained on it, made in code: every default class gets a few
/// clips whose frames lean towards a class-specific byte value, so a model can learn them.
internal static class TinyData
{
    public static AudioSetClip Clip(string videoId, int classPosition, int frames, int seed, float start = 30f)
    {
        var random = new Random(seed);
        var bytes = new byte[frames * AudioSetClip.FrameSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)Math.Clamp(20 * classPosition + random.Next(-30, 31) + (i % AudioSetClip.FrameSize == classPosition ? 100 : 0), 0, 255);
        }

        return new AudioSetClip(videoId, start, start + frames, [ClassSet.Default[classPosition].Index], bytes);
    }

    /// Clips of every default class: <paramref name="perClass"/> each, ids prefixed by <paramref name="prefix"/>.
    public static AudioSetClip[] Clips(string prefix, int perClass, int seed) =>
        Enumerable.Range(0, ClassSet.Default.Count)
            .SelectMany(c => Enumerable.Range(0, perClass).Select(i => Clip($"{prefix}{c:00}_{i:00}", c, 1 + (i * 7 + c) % 10, seed * 1000 + c * 50 + i)))
            .ToArray();

    /// A data folder with bal_train/ (two files) and eval/ (one file); returns its path.
    public static string Dataset(TempFolder temp, string name = "audioset")
    {
        string root = temp.Folder(name);
        var train = Clips("tr", 6, 1);
        Directory.CreateDirectory(Path.Combine(root, "bal_train"));
        Directory.CreateDirectory(Path.Combine(root, "eval"));
        Fixtures.WriteClips(Path.Combine(root, "bal_train", "a.tfrecord"), train[..30]);
        Fixtures.WriteClips(Path.Combine(root, "bal_train", "b.tfrecord"), train[30..]);
        Fixtures.WriteClips(Path.Combine(root, "eval", "e.tfrecord"), Clips("ev", 3, 2));
        return root;
    }

    /// Trains lbfgs-maxent on mean features of the tiny data and writes the package into <paramref name="folder"/>.
    public static string Package(string folder)
    {
        var train = Clips("tr", 6, 1).Select(c => new LabeledClip(c, ClassSet.Default.PositionOf(c.Labels[0]))).ToList();
        var eval = Clips("ev", 3, 2).Select(c => new LabeledClip(c, ClassSet.Default.PositionOf(c.Labels[0]))).ToList();
        var run = TrainingSession.Run(ClassSet.Default, train, eval,
            new TrainingOptions { Folds = 2, Parallelism = 1, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)] });
        Directory.CreateDirectory(folder);
        ModelPackage.Write(folder, run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "bal_train", 0, "tiny"), null, DateTime.UnixEpoch);
        return folder;
    }
}

/// One tiny package per test class; tests damage copies of it.
public sealed class TinyPackageFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public TinyPackageFixture() => Directory = TinyData.Package(_temp.File("package"));

    public string Directory { get; }

    /// A copy of the package that a test may damage.
    public string Copy(TempFolder into)
    {
        string copy = into.Folder("copy-" + Guid.NewGuid().ToString("N"));
        foreach (string file in System.IO.Directory.GetFiles(Directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => _temp.Dispose();
}
