using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Asserts that a step allocates nothing once warm. The runtime may allocate once on the calling thread while the code
/// under test tiers up (tiered compilation promotes a method a while after its 30th call, often inside a measured
/// window); an allocation per step would put at least one object into every window. So some window of
/// <c>steps</c> calls, out of five, must be entirely clean.
/// </summary>
public static class SteadyStateAllocation
{
    public static void AssertNone(Action step, int steps, string what)
    {
        for (int i = 0; i < 100; i++)
        {
            step();
        }

        var windows = new List<long>();
        while (windows.Count < 5 && (windows.Count == 0 || windows[^1] != 0))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++)
            {
                step();
            }

            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(windows[^1] == 0, $"{what}: bytes allocated per {steps} calls, window by window: {string.Join(", ", windows)}");
    }
}
