using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// A fixed set of threads that run one action for every worker index and wait for all of them: the calling thread is
/// worker 0. Starting a round allocates nothing, so the trainer can use it for every mini-batch.
/// </summary>
/// <remarks>
/// A training step is three rounds a few hundred microseconds apart, so waiting threads spin for up to
/// <see cref="SpinTime"/> before they block: waking a blocked thread costs tens of microseconds, a large share of a
/// round of a small network.
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTime = Stopwatch.Frequency / 1000;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _work;
    private Exception? _failure;
    private long _generation;
    private int _pending;
    private volatile bool _stopping;
    private long _workerAllocatedBytes;

    public WorkerPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        Workers = workers;
        _threads = new Thread[workers - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i + 1;
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"NetGen worker {index}" };
            _threads[i].Start();
        }
    }

    public int Workers { get; }

    /// <summary>Bytes the pool's own threads have allocated while working, for the tests that hold training to zero.</summary>
    public long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocatedBytes);

    /// <summary>Runs <paramref name="work"/>(i) for i in [0, Workers) and returns when all are done; rethrows the first failure.</summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _failure = null;
        Volatile.Write(ref _pending, _threads.Length);
        Advance();
        try
        {
            work(0);
        }
        finally
        {
            WaitForWorkers();
        }

        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Advance();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    /// <summary>Starts the next round: the workers see the new generation, by spinning or by being woken.</summary>
    private void Advance()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits for the round after <paramref name="seen"/>: spins for up to <see cref="SpinTime"/>, then blocks.</summary>
    private void WaitForRoundAfter(long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTime;
        while (Interlocked.Read(ref _generation) == seen)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(16);
                continue;
            }

            lock (_gate)
            {
                while (Interlocked.Read(ref _generation) == seen)
                {
                    Monitor.Wait(_gate);
                }
            }
        }
    }

    /// <summary>Waits until every pool thread has finished the round: spins for up to <see cref="SpinTime"/>, then blocks.</summary>
    private void WaitForWorkers()
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTime;
        while (Volatile.Read(ref _pending) != 0)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(16);
                continue;
            }

            lock (_gate)
            {
                while (Volatile.Read(ref _pending) != 0)
                {
                    Monitor.Wait(_gate);
                }
            }
        }
    }

    private void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            WaitForRoundAfter(seen);
            seen = Interlocked.Read(ref _generation);
            if (_stopping)
            {
                return;
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                _work!(index);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }
            finally
            {
                Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
    }
}
