using System;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Where threads wait for a condition that other threads make true: a waiter spins for a given time, then blocks until
/// a <see cref="WakeAll"/> after the condition became true. Waking costs one read when nobody sleeps. Allocates nothing.
/// </summary>
internal sealed class WakeSignal
{
    private readonly object _gate = new();
    private int _sleepers;

    /// <summary>Returns once <paramref name="done"/>(<paramref name="state"/>) holds: spins for up to <paramref name="spinTicks"/>, then blocks.</summary>
    public void WaitUntil<TState>(Func<TState, bool> done, TState state, long spinTicks)
    {
        long deadline = Stopwatch.GetTimestamp() + spinTicks;
        while (!done(state))
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(16);
                continue;
            }

            lock (_gate)
            {
                // Counted before the last look: a thread that makes the condition true and then reads no sleepers made
                // it true before this look, which sees it.
                Interlocked.Increment(ref _sleepers);
                while (!done(state))
                {
                    Monitor.Wait(_gate);
                }

                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    /// <summary>Wakes every blocked waiter to look at its condition again; call after making one true.</summary>
    public void WakeAll()
    {
        // Interlocked writes of the condition are full fences, so this read cannot move before them.
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
