using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/NetGen.Benchmarks -- --filter '*'
// Medians with their ranges are what docs/performance.md reports.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
