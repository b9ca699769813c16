using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Packaging;
using Custom.Training.Trainers;

namespace Custom.Tests.Support;

/// Two small real packages (lbfgs-maxent on mean features, the ten default classes) trained in a second on synthetic
/// clips whose frames depend on their class: for tests of code that serves packages without needing the dataset.
/// The two are trained on different clips, so they give different probabilities for the same input.
public sealed class SmallPackageFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public SmallPackageFixture()
    {
        First = Train("first", seed: 1);
        Second = Train("second", seed: 2);
    }

    public string First { get; }

    public string Second { get; }

    /// A clip of <paramref name="frames"/> frames whose values lean towards class <paramref name="label"/>.
    public static AudioSetClip Clip(string videoId, int label, int frames, Random random)
    {
        var bytes = new byte[frames * AudioSetClip.FrameSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            int dimension = i % AudioSetClip.FrameSize;
            int centre = dimension / 13 == label ? 200 : 60;
            bytes[i] = (byte)Math.Clamp(centre + random.Next(-50, 51), 0, 255);
        }

        return new AudioSetClip(videoId, 10 * label, 10 * label + frames, [label], bytes);
    }

    public void Dispose() => _temp.Dispose();

    private string Train(string name, int seed)
    {
        var random = new Random(seed);
        var clips = Enumerable.Range(0, 200).Select(i => new LabeledClip(Clip($"synthetic{i}", i % 10, 1 + random.Next(10), random), i % 10)).ToList();
        var run = TrainingSession.Run(ClassSet.Default, clips, clips.Take(50).ToList(),
            new TrainingOptions { Folds = 2, Seed = seed, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)] });
        string folder = _temp.Folder(name);
        ModelPackage.Write(folder, run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "synthetic", 0, "test"), null, DateTime.UnixEpoch);
        return folder;
    }
}
