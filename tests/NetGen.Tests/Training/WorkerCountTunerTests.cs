using System;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// The tuner that picks how many workers a training step uses, run against simulated machines: each step costs what a
/// function of the active count says, so that nothing depends on this machine's speed or load.
/// </summary>
public class WorkerCountTunerTests
{
    private const int Rows = 64;

    // A step at relative cost 1 takes 2 ms of recorded time, so that a window closes after its four steps.
    private static readonly double TicksPerRow = Stopwatch.Frequency / 500.0 / Rows;

    [Fact]
    public void On_a_busy_machine_where_one_worker_is_faster_than_two_it_settles_on_one()
    {
        // The second worker waits for a core another process holds, and the step waits for it.
        int[] used = Simulate(new WorkerCountTuner(2), active => active == 1 ? 1.0 : 1.5, steps: 3_000);

        AssertMostlyUsed(1, used[^1_000..]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public void On_an_idle_machine_where_every_worker_helps_it_stays_at_all_of_them(int workers)
    {
        // From the first step: the probes below cost a few windows, no more.
        int[] used = Simulate(new WorkerCountTuner(workers), active => 1.0 / active, steps: 3_000);

        AssertMostlyUsed(workers, used);
    }

    [Fact]
    public void It_follows_the_machine_when_load_arrives_and_when_it_leaves()
    {
        const int Workers = 4, Phase = 3_000;
        var tuner = new WorkerCountTuner(Workers);

        // Idle: every worker helps.
        int[] idle = Simulate(tuner, active => 1.0 / active, Phase);

        // Another process takes two cores: a third and fourth worker wait for a core and hold the step up.
        int[] loaded = Simulate(tuner, active => active <= 2 ? 1.0 / active : 0.5 * (active - 1), Phase);

        // The other process ends.
        int[] idleAgain = Simulate(tuner, active => 1.0 / active, Phase);

        AssertMostlyUsed(4, idle[^1_000..]);
        AssertMostlyUsed(2, loaded[^1_000..]);
        AssertMostlyUsed(4, idleAgain[^1_000..]);
    }

    [Fact]
    public void On_sixteen_workers_with_twelve_free_cores_it_ends_within_a_probe_step_of_twelve()
    {
        // Twelve cores free: up to twelve workers share the rows; a thirteenth worker and more double up on a core, and
        // the step waits for the slowest core.
        const int Workers = 16, Free = 12;
        int[] used = Simulate(new WorkerCountTuner(Workers), active => Math.Ceiling((double)active / Free) / active, steps: 4_000);

        // The probe step from twelve is a quarter of it.
        int mostUsed = used[^1_000..].GroupBy(active => active).MaxBy(group => group.Count())!.Key;
        Assert.InRange(mostUsed, Free - Free / 4, Free + Free / 4);
        AssertMostlyUsed(mostUsed, used[^1_000..]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(16)]
    public void It_never_asks_for_fewer_than_one_worker_or_more_than_the_pool_has(int workers)
    {
        // Noisy costs with no pattern, so that probes win and lose at random and the count wanders as far as it can.
        var random = new Random(workers);
        var tuner = new WorkerCountTuner(workers);
        int[] used = Simulate(tuner, _ => 0.05 + 2 * random.NextDouble(), steps: 20_000);

        // The noise does move it: otherwise staying in range would prove nothing.
        Assert.True(used.Distinct().Count() >= Math.Min(workers, 3), $"only {string.Join(", ", used.Distinct())} used");
        Assert.InRange(used.Min(), 1, workers);
        Assert.InRange(used.Max(), 1, workers);
        Assert.InRange(tuner.Active, 1, workers);
    }

    [Fact]
    public void With_one_worker_it_always_says_one()
    {
        var random = new Random(1);
        int[] used = Simulate(new WorkerCountTuner(1), _ => 0.05 + 2 * random.NextDouble(), steps: 5_000);

        Assert.All(used, active => Assert.Equal(1, active));
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps of <see cref="Rows"/> rows, each costing <paramref name="cost"/>(active
    /// workers) per row relative to <see cref="TicksPerRow"/>; returns the active count of each step.
    /// </summary>
    private static int[] Simulate(WorkerCountTuner tuner, Func<int, double> cost, int steps)
    {
        int[] used = new int[steps];
        for (int step = 0; step < steps; step++)
        {
            int active = used[step] = tuner.Active;
            tuner.Record((long)(cost(active) * TicksPerRow * Rows), Rows);
        }

        return used;
    }

    /// <summary>At least 90% of <paramref name="used"/> is <paramref name="expected"/>: the tuner keeps probing its neighbours now and then.</summary>
    private static void AssertMostlyUsed(int expected, int[] used)
    {
        int count = used.Count(active => active == expected);
        string histogram = string.Join(", ", used.GroupBy(active => active).OrderBy(group => group.Key).Select(group => $"{group.Key}: {group.Count()}"));
        Assert.True(count >= 0.9 * used.Length, $"{expected} workers in {count} of {used.Length} steps ({histogram})");
    }
}
