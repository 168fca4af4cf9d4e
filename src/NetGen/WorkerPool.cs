using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// A fixed set of threads that run one action for every worker index and wait for all of them: the calling thread is
/// worker 0. Starting a round allocates nothing, so the trainer can use it for every mini-batch.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _finished;
    private Action<int>? _work;
    private Exception? _failure;
    private volatile bool _stopping;
    private long _workerAllocatedBytes;

    public WorkerPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        Workers = workers;
        _threads = new Thread[workers - 1];
        _start = new ManualResetEventSlim[workers - 1];
        _finished = new CountdownEvent(1);
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i + 1;
            _start[i] = new ManualResetEventSlim(false, spinCount: 2_000);
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
        _finished.Reset(Workers - 1);
        foreach (ManualResetEventSlim start in _start)
        {
            start.Set();
        }

        try
        {
            work(0);
        }
        finally
        {
            if (_threads.Length > 0)
            {
                _finished.Wait();
            }
        }

        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (ManualResetEventSlim start in _start)
        {
            start.Set();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (ManualResetEventSlim start in _start)
        {
            start.Dispose();
        }

        _finished.Dispose();
    }

    private void Loop(int index)
    {
        ManualResetEventSlim start = _start[index - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
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
                _finished.Signal();
            }
        }
    }
}
