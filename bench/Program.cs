using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench -- --filter '*'   (add --job short for a quick look)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
