// The front door: dotnet tool restore && dotnet cake --target=<Target> [--data=DIR] [--out=DIR] [--configuration=Release]
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
// Without --data the CLI finds the data itself (AudioSetLocator: $CUSTOM_AUDIOSET, the default data folder,
// ../shared/audioset), the same way the tests do.
var data = HasArgument("data") ? Argument<string>("data") : null;
var dataOption = data is null ? "" : $"--data \"{data}\" ";
var output = Argument("out", "artifacts");
var testFilter = HasArgument("filter") ? Argument<string>("filter") : null;

// Training figures depend on the SIMD path the JIT picks for ML.NET's float sums: one lbfgs-maxent/mean run gives eval
// macro-F1 0.5789 on AVX2's 256-bit path and 0.5755 on the 128-bit one. Runs whose figures are compared with
// artifacts/reference/ therefore pin the path every x64 CPU has (SSE4.2, 128-bit): the JIT reads this only from the
// environment, not from runtimeconfig.json.
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

// The Debian packages the tests need (tests/debian-packages.txt): installed with apt-get when missing and running as
// root on Debian; otherwise the target stops and names them.
void EnsureDebianPackages()
{
    var wanted = System.IO.File.ReadAllLines(MakeAbsolute(File("tests/debian-packages.txt")).FullPath)
        .Select(line => line.Split('#')[0].Trim()).Where(line => line.Length > 0).ToList();
    if (wanted.Count == 0 || !IsRunningOnLinux())
    {
        return;
    }

    if (!System.IO.File.Exists("/usr/bin/dpkg-query"))
    {
        Warning($"not a Debian system: the tests need {string.Join(", ", wanted)} (Debian package names) installed");
        return;
    }

    var missing = wanted.Where(package => StartProcess("dpkg-query", new ProcessSettings
    {
        Arguments = $"-W -f=${{Status}} {package}",
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Silent = true,
    }, out var lines) != 0 || !string.Join("", lines).Contains("install ok installed")).ToList();
    if (missing.Count == 0)
    {
        return;
    }

    string list = string.Join(" ", missing);
    if (Environment.UserName != "root")
    {
        throw new CakeException($"the tests need these Debian packages: {list}. Install them with: sudo apt-get install -y {list}");
    }

    Information($"installing Debian packages: {list}");
    var apt = new ProcessSettings { EnvironmentVariables = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" } };
    if (StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq", EnvironmentVariables = apt.EnvironmentVariables }) != 0
        || StartProcess("apt-get", new ProcessSettings { Arguments = $"install -y -qq {list}", EnvironmentVariables = apt.EnvironmentVariables }) != 0)
    {
        throw new CakeException($"could not install the Debian packages {list}");
    }
}

// The notebook tests run in the real .NET Interactive kernel (.net-csharp), from the tool manifest's dotnet-interactive.
// It writes its kernel specs only into a kernels folder that exists; installing again overwrites the same specs.
void EnsureNotebookKernel()
{
    if (StartProcess("jupyter", new ProcessSettings { Arguments = "--data-dir", RedirectStandardOutput = true, Silent = true }, out var lines) != 0)
    {
        throw new CakeException("the notebook tests need Jupyter (Debian: jupyter-nbconvert, python3-nbclient, python3-ipykernel)");
    }

    EnsureDirectoryExists($"{lines.First().Trim()}/kernels");
    if (StartProcess("dotnet", new ProcessSettings { Arguments = "interactive jupyter install", RedirectStandardOutput = true, Silent = true }) != 0)
    {
        throw new CakeException("could not register the .NET Interactive kernel: run 'dotnet tool restore' first");
    }
}

Task("Test").IsDependentOn("Build").Does(() =>
{
    EnsureDebianPackages();
    EnsureNotebookKernel();
    DotNetTest("Custom.sln", new DotNetTestSettings { Configuration = configuration, NoBuild = true, Filter = testFilter });
});

Task("Report").IsDependentOn("Build").Does(() =>
{
    Custom($"report {dataOption}--out \"{output}/distribution\"");
});

Task("Train").IsDependentOn("Build").Does(() =>
{
    Custom($"train {dataOption}--out \"{output}/model\"", pinSimd: true);
});

Task("Evaluate").IsDependentOn("Build").Does(() =>
{
    Custom($"evaluate {dataOption}--model \"{output}/model/model.zip\" --out \"{output}/model/metrics.evaluate.json\"", pinSimd: true);
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

// The local NuGet feed the notebooks reference (docs/notebooks.md): the five libraries, packed into artifacts/feed.
// Packing the same version again is only seen once NuGet's cached copy is gone, so those are dropped too. The notebook
// test packs with this target too (`--target=Feed --exclusive`, after its own build).
Task("Feed").IsDependentOn("Build").Does(() =>
{
    string[] projects = { "data/Custom.Data.csproj", "evaluation/Custom.Evaluation.csproj", "training/Custom.Training.csproj", "inference/Custom.Inference.csproj", "audio/Custom.Audio.csproj" };
    foreach (var project in projects)
    {
        DotNetPack(project, new DotNetPackSettings { Configuration = configuration, NoBuild = true, OutputDirectory = "artifacts/feed" });
        var id = System.IO.Path.GetFileNameWithoutExtension(project).ToLowerInvariant();
        var cache = EnvironmentVariable("NUGET_PACKAGES") ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? ".", ".nuget", "packages");
        var version = XmlPeek("Directory.Build.props", "/Project/PropertyGroup/Version");
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
    Custom($"train {dataOption}--out \"{fresh}\"", pinSimd: true);
    Custom($"report {dataOption}--out \"{fresh}-distribution\"");
    Custom($"compare --expected artifacts/reference --actual \"{fresh}\" \"{fresh}-distribution\" --tolerance 1e-9");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    Custom($"bench ingest {dataOption}".TrimEnd());
    if (FileExists($"{output}/model/manifest.json"))
    {
        Custom($"bench inference {dataOption}--model \"{output}/model\"");
    }
});

// The main job: the class-distribution report, then training, the model package and the training report.
Task("Default").IsDependentOn("Report").IsDependentOn("Train");

RunTarget(target);
