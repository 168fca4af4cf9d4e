using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// A fixed set of threads that share the tasks of one round and wait until all are done: the calling thread is worker
/// 0 and works too. Starting a round allocates nothing, so the trainer can use it for every mini-batch.
/// </summary>
/// <remarks>
/// <para>
/// In a claimed round (<see cref="Run"/>) the tasks are cut into one run per taking worker, its home run. A worker takes
/// the next untaken task of its own run, then of the others' runs, so a thread the operating system has not scheduled
/// simply takes none: the others do its share, and the round never waits for a thread that has not started, only for
/// tasks already taken. Home runs keep a worker on the same parameters and rows step after step, in its own cache. A
/// claim names its round, and so does the end of its run, so a thread that wakes late cannot take a task of a later round
/// for one of an earlier one.
/// Which worker runs a task never changes what the task computes, so a claimed round may also leave workers out
/// (<c>activeWorkers</c>): those stay blocked.
/// </para>
/// <para>
/// In a pinned round (<see cref="RunOnEveryWorker"/>) task i runs on worker i, for work that meets at a barrier and so
/// needs every worker at once.
/// </para>
/// <para>
/// Waiting threads spin for up to <see cref="SpinTime"/> before they block: a step is a few rounds some microseconds
/// apart, and waking a blocked thread costs tens of microseconds.
/// </para>
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTime = Stopwatch.Frequency / 1000;

    // The round word: the generation in the high 32 bits, bit 31 set for a pinned round, the workers taking part below.
    private const long PinnedFlag = 1L << 31;
    private const long ActiveMask = PinnedFlag - 1;

    // Each home run's claims sit on a cache line of their own, so that claiming never contends with a neighbour's run;
    // its end word sits beside them.
    private const int ClaimStride = 64 / sizeof(long);
    private const int EndOffset = 1;

    private readonly Thread[] _threads;

    // One signal per pool thread, so that starting a round wakes only the threads that take part in it.
    private readonly WakeSignal[] _roundStarted;
    private readonly WakeSignal _tasksFinished = new();

    // Per home run: the claim word, the round's generation in the high 32 bits and the run's next task to take in the
    // low 32; and at EndOffset the end word, the generation again and the task past the run's last.
    private readonly long[] _claims;
    private long _round;
    private Action<int>? _task;
    private Exception? _failure;
    private int _unfinished;
    private volatile bool _stopping;
    private long _workerAllocatedBytes;

    public WorkerPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workers, (int)ActiveMask);
        Workers = workers;
        _claims = new long[workers * ClaimStride];
        _roundStarted = new WakeSignal[workers];
        _threads = new Thread[workers - 1];
        for (int i = 0; i < workers; i++)
        {
            _roundStarted[i] = new WakeSignal();
        }

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

    /// <summary>
    /// Runs <paramref name="task"/>(i) for i in [0, <paramref name="taskCount"/>) on workers [0,
    /// <paramref name="activeWorkers"/>), each task on whichever of them takes it first, and returns when all are done;
    /// rethrows the first failure.
    /// </summary>
    public void Run(Action<int> task, int taskCount, int activeWorkers)
    {
        int active = Math.Clamp(activeWorkers, 1, Workers);
        long generation = Start(task, taskCount, active, pinned: false);
        try
        {
            RunClaimedTasks(task, generation, active, worker: 0);
        }
        finally
        {
            Finish();
        }
    }

    /// <summary>Runs <paramref name="work"/>(i) on worker i for i in [0, Workers), all at once; rethrows the first failure.</summary>
    public void RunOnEveryWorker(Action<int> work)
    {
        Start(work, Workers, Workers, pinned: true);
        try
        {
            RunTask(work, 0);
            CountDone(1);
        }
        finally
        {
            Finish();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Interlocked.Exchange(ref _round, ((Volatile.Read(ref _round) >> 32) + 1) << 32 | (long)Workers);
        foreach (WakeSignal signal in _roundStarted)
        {
            signal.WakeAll();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    /// <summary>Publishes a round and wakes the workers that take part; returns its generation.</summary>
    private long Start(Action<int> task, int taskCount, int active, bool pinned)
    {
        _task = task;
        _failure = null;
        Volatile.Write(ref _unfinished, taskCount);
        long generation = (Volatile.Read(ref _round) >> 32) + 1;
        if (!pinned)
        {
            for (int worker = 0; worker < active; worker++)
            {
                Volatile.Write(ref _claims[worker * ClaimStride + EndOffset], generation << 32 | (long)HomeStart(taskCount, worker + 1, active));
                Volatile.Write(ref _claims[worker * ClaimStride], generation << 32 | (long)HomeStart(taskCount, worker, active));
            }
        }

        // The round's fields are written before its word; a worker reads them after it reads the word.
        Interlocked.Exchange(ref _round, generation << 32 | (pinned ? PinnedFlag : 0) | (long)active);
        for (int worker = 1; worker < active; worker++)
        {
            _roundStarted[worker].WakeAll();
        }

        return generation;
    }

    /// <summary>Waits for the round's taken tasks, then rethrows the first failure.</summary>
    private void Finish()
    {
        _tasksFinished.WaitUntil(static pool => Volatile.Read(ref pool._unfinished) == 0, this, SpinTime);
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>
    /// Takes and runs tasks of round <paramref name="generation"/> until none is left: those of
    /// <paramref name="worker"/>'s home run first, then those of the following runs.
    /// </summary>
    private void RunClaimedTasks(Action<int> task, long generation, int active, int worker)
    {
        // Counted here and subtracted once: a shared counter written after every task would pass its cache line
        // between the cores dozens of times a round.
        int done = 0;
        try
        {
            for (int offset = 0; offset < active; offset++)
            {
                int home = (worker + offset) % active;

                // The run's end comes from a word of its round, not from the task count: a worker that woke late for a
                // round that has ended may read a later round's task count, and with it an end past this round's last
                // claim.
                long ends = Volatile.Read(ref _claims[home * ClaimStride + EndOffset]);
                if (ends >> 32 != generation)
                {
                    return;
                }

                int end = (int)ends;
                ref long claims = ref _claims[home * ClaimStride];
                while (true)
                {
                    long claim = Volatile.Read(ref claims);
                    if (claim >> 32 != generation)
                    {
                        // A later round has begun, so this one has ended.
                        return;
                    }

                    if ((int)claim >= end)
                    {
                        break;
                    }

                    if (Interlocked.CompareExchange(ref claims, claim + 1, claim) == claim)
                    {
                        RunTask(task, (int)claim);
                        done++;
                    }
                }
            }
        }
        finally
        {
            CountDone(done);
        }
    }

    /// <summary>The first task of home run <paramref name="run"/> of <paramref name="active"/>, or <paramref name="taskCount"/> past the last.</summary>
    private static int HomeStart(int taskCount, int run, int active) => (int)((long)taskCount * run / active);

    /// <summary>Runs one task and records its failure.</summary>
    private void RunTask(Action<int> task, int index)
    {
        try
        {
            task(index);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
    }

    /// <summary>Counts <paramref name="count"/> tasks done, waking the calling thread after the last.</summary>
    private void CountDone(int count)
    {
        if (count > 0 && Interlocked.Add(ref _unfinished, -count) == 0)
        {
            _tasksFinished.WakeAll();
        }
    }

    private void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            // Waits for a round after the last one this worker saw, and one that it takes part in.
            _roundStarted[index].WaitUntil(
                static wait =>
                {
                    long round = Volatile.Read(ref wait.Pool._round);
                    return round >> 32 != wait.Seen && (round & ActiveMask) > wait.Index;
                },
                (Pool: this, Seen: seen, Index: index),
                SpinTime);
            long round = Volatile.Read(ref _round);
            seen = round >> 32;
            if (_stopping)
            {
                return;
            }

            if ((round & ActiveMask) <= index)
            {
                // The round the wait saw has ended, and a later one that leaves this worker out has begun.
                continue;
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            Action<int> task = _task!;
            if ((round & PinnedFlag) != 0)
            {
                // A pinned round cannot end without this worker, so its fields are still this round's.
                RunTask(task, index);
                CountDone(1);
            }
            else
            {
                RunClaimedTasks(task, seen, (int)(round & ActiveMask), index);
            }

            Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
        }
    }
}
