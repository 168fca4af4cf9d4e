using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/NetGen.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
