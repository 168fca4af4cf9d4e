using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Holds the workers of one <see cref="WorkerPool"/> round at a point until all of them reach it: the split training
/// step's threads meet a few times per mini-batch, between layers. Arriving threads spin for up to
/// <see cref="SpinTime"/>, then block. Allocates nothing.
/// </summary>
/// <remarks>
/// A worker that fails calls <see cref="Abandon"/>, which releases every waiting worker with <c>false</c> so that the
/// round ends and the pool reports the failure, instead of the others waiting forever for it.
/// </remarks>
internal sealed class SpinBarrier
{
    private static readonly long SpinTime = Stopwatch.Frequency / 1000;

    private readonly object _gate = new();
    private readonly int _participants;
    private int _remaining;
    private int _phase;
    private int _sleepers;
    private volatile bool _abandoned;

    public SpinBarrier(int participants)
    {
        _participants = participants;
        _remaining = participants;
    }

    /// <summary>Arms the barrier for a new round: every worker is expected again and none has failed.</summary>
    public void Reset()
    {
        _remaining = _participants;
        _abandoned = false;
    }

    /// <summary>Waits until every worker has arrived; false if a worker abandoned the round, and the caller should return.</summary>
    public bool SignalAndWait()
    {
        int phase = Volatile.Read(ref _phase);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            // The count is re-armed before the phase moves on, so a worker released early counts into the next phase.
            Volatile.Write(ref _remaining, _participants);
            Interlocked.Increment(ref _phase);
            WakeSleepers();
            return !_abandoned;
        }

        long deadline = Stopwatch.GetTimestamp() + SpinTime;
        while (Volatile.Read(ref _phase) == phase && !_abandoned)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
                continue;
            }

            lock (_gate)
            {
                // Counted before the last look at the phase: a releaser that reads no sleepers has already moved the
                // phase on, and this thread sees it.
                Interlocked.Increment(ref _sleepers);
                while (Volatile.Read(ref _phase) == phase && !_abandoned)
                {
                    Monitor.Wait(_gate);
                }

                Interlocked.Decrement(ref _sleepers);
            }
        }

        return !_abandoned;
    }

    /// <summary>Releases every waiting worker with <c>false</c>: the round failed.</summary>
    public void Abandon()
    {
        _abandoned = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void WakeSleepers()
    {
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
