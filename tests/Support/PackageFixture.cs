using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Packaging;
using Custom.Training.Trainers;

namespace Custom.Tests.Support;

/// A real package (lbfgs-maxent on mean features, all of bal_train) written once per test class into a temp folder.
public sealed class PackageFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public PackageFixture()
    {
        var folder = AudioSetData.Folder;
        Eval = AudioSetIngest.ReadSelected(folder.FilesOf("eval"), ClipSelector.Default).Clips;
        var train = AudioSetIngest.ReadSelected(folder.FilesOf("bal_train"), ClipSelector.Default).Clips;
        Run = TrainingSession.Run(ClassSet.Default, train, Eval,
            new TrainingOptions { Folds = 2, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)] });
        Directory = _temp.Folder("package");
        ModelPackage.Write(Directory, Run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "bal_train", 0, "test"), null, DateTime.UnixEpoch);
    }

    public string Directory { get; }

    public TrainingResult Run { get; }

    public IReadOnlyList<LabeledClip> Eval { get; }

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
