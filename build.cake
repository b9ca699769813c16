// The front door: dotnet tool restore && dotnet cake --target=<Target> [--data=DIR] [--out=DIR] [--configuration=Release]
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var data = Argument("data", EnvironmentVariable("CUSTOM_AUDIOSET") ?? "../shared/audioset");
var output = Argument("out", "artifacts");

// Training figures depend on the SIMD path the JIT picks for ML.NET's float sums: the same run gives eval macro-F1
// 0.5789 on an AVX2 machine and 0.5755 with AVX off, and the reference was once made on a CPU that took yet another
// path. Runs whose figures are compared with artifacts/reference/ therefore pin the path every x64 CPU has (SSE4.2,
// 128-bit): the JIT reads this only from the environment, not from runtimeconfig.json.
var pinnedSimd = new Dictionary<string, string> { ["DOTNET_EnableAVX"] = "0" };

void Custom(string arguments, bool pinSimd = false)
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run --no-build --project cli -c {configuration} -- {arguments}",
        EnvironmentVariables = pinSimd ? pinnedSimd : new Dictionary<string, string>(),
    });
    if (exit != 0)
    {
        throw new CakeException($"custom {arguments} failed with exit code {exit}");
    }
}

Task("Clean").Does(() =>
{
    DotNetClean("Custom.sln", new DotNetCleanSettings { Configuration = configuration });
    CleanDirectories("./artifacts/*/");
});

Task("Build").Does(() =>
{
    DotNetBuild("Custom.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("Test").IsDependentOn("Build").Does(() =>
{
    DotNetTest("Custom.sln", new DotNetTestSettings { Configuration = configuration, NoBuild = true });
});

Task("Report").IsDependentOn("Build").Does(() =>
{
    Custom($"report --data \"{data}\" --out \"{output}\"");
});

Task("Train").IsDependentOn("Build").Does(() =>
{
    Custom($"train --data \"{data}\" --out \"{output}/model\"", pinSimd: true);
});

Task("Evaluate").IsDependentOn("Build").Does(() =>
{
    Custom($"evaluate --data \"{data}\" --model \"{output}/model/model.zip\" --out \"{output}/model/metrics.evaluate.json\"", pinSimd: true);
});

Task("Package").IsDependentOn("Train").Does(() =>
{
    // The model package (model.zip + model.onnx + manifest.json) is written by Train; this adds the NuGet package
    // of the inference library.
    DotNetPack("inference/Custom.Inference.csproj", new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = $"{output}/nuget",
    });
});

// The local NuGet feed the notebooks reference (docs/notebooks.md): the four libraries, packed into artifacts/feed.
// Packing the same version again is only seen once NuGet's cached copy is gone, so those are dropped too.
Task("Feed").IsDependentOn("Build").Does(() =>
{
    string[] projects = { "data/Custom.Data.csproj", "evaluation/Custom.Evaluation.csproj", "training/Custom.Training.csproj", "inference/Custom.Inference.csproj" };
    foreach (var project in projects)
    {
        DotNetPack(project, new DotNetPackSettings { Configuration = configuration, NoBuild = true, OutputDirectory = "artifacts/feed" });
        var id = System.IO.Path.GetFileNameWithoutExtension(project).ToLowerInvariant();
        var cache = EnvironmentVariable("NUGET_PACKAGES") ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? ".", ".nuget", "packages");
        var version = XmlPeek(project, "/Project/PropertyGroup/Version");
        var cached = System.IO.Path.Combine(cache, id, version);
        if (DirectoryExists(cached))
        {
            DeleteDirectory(cached, new DeleteDirectorySettings { Recursive = true });
        }
    }
});

// Retrains with the reference seed and compares every figure with artifacts/reference/. Every trainer is seeded and
// reproducible (single-threaded, or FastTree, whose threads give the same trees) and the SIMD path is pinned (see
// pinnedSimd), so the figures repeat bit for bit.
// The tolerance of 1e-9 (absolute) is a margin for last-digit noise only; any real change — a hyper-parameter, the
// data, the code, an unpinned SIMD path — moves figures by 1e-4 or more.
// Left out: the manifest's created_utc and the model files' SHA-256.
Task("Reproduce").IsDependentOn("Build").Does(() =>
{
    var fresh = $"{output}/reproduce";
    Custom($"train --data \"{data}\" --out \"{fresh}\"", pinSimd: true);
    Custom($"report --data \"{data}\" --out \"{fresh}\"");
    Custom($"compare --expected artifacts/reference --actual \"{fresh}\" --tolerance 1e-9");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    Custom($"bench ingest --data \"{data}\"");
    if (FileExists($"{output}/model/manifest.json"))
    {
        Custom($"bench inference --data \"{data}\" --model \"{output}/model\"");
    }
});

// The main job: the class-distribution report, then training, the model package and the training report.
Task("Default").IsDependentOn("Report").IsDependentOn("Train");

RunTarget(target);
