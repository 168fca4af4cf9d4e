using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// The trainer's worker pool: claimed rounds (any worker takes any task), pinned rounds (task i on worker i), failures
/// and shutdown. The stress loops run several thousand rounds back to back, many with more workers than the machine
/// has cores, so that workers wake late and meet a round that has already moved on.
/// </summary>
public class WorkerPoolTests
{
    // Only reached when a worker never arrives; long enough for a loaded machine to schedule every thread.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Claimed_rounds_run_every_task_exactly_once_whatever_the_task_and_active_counts(int workers)
    {
        const int Rounds = 2_000;
        int maxTasks = 3 * workers + 2;
        var random = new Random(workers);
        var log = new RoundLog(Rounds, maxTasks);
        var pool = new WorkerPool(workers);
        RunWithinPatience(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                // One task, fewer tasks than workers and more; active counts below 1 and above Workers are clamped.
                int tasks = random.Next(1, maxTasks + 1), active = random.Next(-1, workers + 3);
                pool.Run(log.CounterFor(round), tasks, active);
                log.AssertEachRanOnce(round, tasks);
            }

            pool.Dispose();
        });

        // Again once the threads have stopped: a worker that woke late ran no earlier round's task a second time.
        log.AssertAllRanOnce();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Pinned_and_claimed_rounds_in_turn_with_changing_active_counts_run_every_task_exactly_once(int workers)
    {
        // Each pattern follows a round by one with more tasks and fewer workers, or a pinned one: a worker that wakes
        // late for the earlier round finds the later round's task and task count, and must not take any of its tasks.
        const int Cycles = 300;
        (int Tasks, int Active)[] pattern =
        [
            (1, workers),
            (Pinned, 0),
            (4 * workers, 1),
            (workers, workers),
            (4 * workers + 1, workers - 1),
            (Pinned, 0),
            (2, workers),
            (3 * workers, 2),
        ];
        var log = new RoundLog(Cycles * pattern.Length, pattern.Max(round => round.Tasks == Pinned ? workers : round.Tasks));
        var pool = new WorkerPool(workers);
        RunWithinPatience(() =>
        {
            for (int round = 0; round < log.Rounds; round++)
            {
                (int tasks, int active) = pattern[round % pattern.Length];
                if (tasks == Pinned)
                {
                    pool.RunOnEveryWorker(log.CounterFor(round));
                    tasks = workers;
                }
                else
                {
                    pool.Run(log.CounterFor(round), tasks, active);
                }

                log.AssertEachRanOnce(round, tasks);
            }

            pool.Dispose();
        });

        log.AssertAllRanOnce();
    }

    [Fact]
    public void With_one_active_worker_every_task_runs_on_the_calling_thread()
    {
        const int Workers = 3, Rounds = 1_000;
        int elsewhere = 0;
        using var pool = new WorkerPool(Workers);
        RunWithinPatience(() =>
        {
            int caller = Environment.CurrentManagedThreadId;
            for (int round = 0; round < Rounds; round++)
            {
                // Rounds for every worker in between keep the others awake and looking for work.
                pool.Run(static _ => { }, 2 * Workers, Workers);
                pool.Run(
                    _ =>
                    {
                        if (Environment.CurrentManagedThreadId != caller)
                        {
                            Interlocked.Increment(ref elsewhere);
                        }
                    },
                    2 * Workers,
                    1);
            }
        });

        Assert.Equal(0, elsewhere);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void A_claimed_round_runs_its_tasks_only_on_the_workers_taking_part(int workers)
    {
        const int Rounds = 2_000;
        using var pool = new WorkerPool(workers);
        var random = new Random(workers);
        int outside = 0;
        RunWithinPatience(() =>
        {
            Dictionary<int, int> workerOfThread = ThreadsOfWorkers(pool)
                .Select((thread, worker) => (thread, worker))
                .ToDictionary(pair => pair.thread, pair => pair.worker);
            for (int round = 0; round < Rounds; round++)
            {
                int active = random.Next(1, workers + 1);
                pool.Run(
                    _ =>
                    {
                        if (workerOfThread[Environment.CurrentManagedThreadId] >= active)
                        {
                            Interlocked.Increment(ref outside);
                        }
                    },
                    random.Next(1, 3 * workers),
                    active);
            }
        });

        Assert.Equal(0, outside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_pinned_round_runs_each_workers_task_on_its_own_thread_all_at_once(int workers)
    {
        const int Rounds = 50;
        using var pool = new WorkerPool(workers);
        int[] firstThreads = ThreadsOfWorkers(pool);
        Assert.Equal(Environment.CurrentManagedThreadId, firstThreads[0]);
        Assert.Equal(workers, firstThreads.Distinct().Count());

        for (int round = 0; round < Rounds; round++)
        {
            // Every worker must reach the barrier before any may leave it: a worker that ran after another had
            // finished would leave the barrier short and every wait would time out.
            using var barrier = new Barrier(workers);
            bool[] met = new bool[workers];
            int[] threads = new int[workers];
            pool.RunOnEveryWorker(worker =>
            {
                threads[worker] = Environment.CurrentManagedThreadId;
                met[worker] = barrier.SignalAndWait(Patience);
            });

            Assert.All(met, Assert.True);
            Assert.Equal(firstThreads, threads);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_failing_task_is_rethrown_after_the_other_tasks_finish_and_the_next_round_runs(int active)
    {
        const int Workers = 3, Tasks = 12, Failing = 5;
        int[] finished = new int[Tasks];
        using var pool = new WorkerPool(Workers);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(
            task =>
            {
                if (task == Failing)
                {
                    throw new InvalidOperationException("task 5 failed");
                }

                // Slow enough that a Run that threw at once would find these unfinished.
                Thread.Sleep(2);
                Interlocked.Increment(ref finished[task]);
            },
            Tasks,
            active));

        Assert.Equal("task 5 failed", error.Message);
        Assert.Equal(Enumerable.Range(0, Tasks).Select(task => task == Failing ? 0 : 1), finished);

        var log = new RoundLog(1, Tasks);
        pool.Run(log.CounterFor(0), Tasks, active);
        log.AssertEachRanOnce(0, Tasks);
    }

    [Fact]
    public void A_failing_worker_in_a_pinned_round_is_rethrown_after_the_others_finish_and_the_next_round_runs()
    {
        const int Workers = 3, Failing = 2;
        int[] finished = new int[Workers];
        using var pool = new WorkerPool(Workers);

        var error = Assert.Throws<ArithmeticException>(() => pool.RunOnEveryWorker(worker =>
        {
            if (worker == Failing)
            {
                throw new ArithmeticException("worker 2 failed");
            }

            Thread.Sleep(2);
            Interlocked.Increment(ref finished[worker]);
        }));

        Assert.Equal("worker 2 failed", error.Message);
        Assert.Equal(new[] { 1, 1, 0 }, finished);

        var log = new RoundLog(1, Workers);
        pool.RunOnEveryWorker(log.CounterFor(0));
        log.AssertEachRanOnce(0, Workers);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_stops_every_worker_thread_whether_spinning_or_blocked(bool blocked)
    {
        var pool = new WorkerPool(4);
        var threads = new Thread[4];
        pool.RunOnEveryWorker(worker => threads[worker] = Thread.CurrentThread);

        // Rounds that leave workers 2 and 3 out, so that they sit waiting for a round they take part in.
        for (int round = 0; round < 100; round++)
        {
            pool.Run(static _ => { }, 4, 2);
        }

        if (blocked)
        {
            // Far past the pool's spin time, so that the waiting workers have gone to sleep.
            Thread.Sleep(100);
        }

        Assert.True(DisposesInTime(pool), "Dispose did not return");
        Assert.All(threads.Skip(1), thread => Assert.False(thread.IsAlive));
    }

    [Fact]
    public void Dispose_stops_a_pool_that_never_ran_a_round()
    {
        var pool = new WorkerPool(3);
        Assert.True(DisposesInTime(pool), "Dispose did not return");
    }

    private const int Pinned = -1;

    /// <summary>
    /// Runs <paramref name="rounds"/> on a thread of its own and rethrows what it threw: a task that runs twice can leave
    /// a round waiting for ever, and this turns that into a failure instead of a test run that never ends.
    /// </summary>
    private static void RunWithinPatience(Action rounds)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                rounds();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(Patience), "a round never finished");
        failure?.Throw();
    }

    /// <summary>Disposes <paramref name="pool"/> on a thread of its own, so that a Dispose that hangs fails the test instead.</summary>
    private static bool DisposesInTime(WorkerPool pool)
    {
        var disposing = new Thread(pool.Dispose) { IsBackground = true };
        disposing.Start();
        return disposing.Join(Patience);
    }

    /// <summary>The managed thread id of each worker, from a pinned round.</summary>
    private static int[] ThreadsOfWorkers(WorkerPool pool)
    {
        int[] threads = new int[pool.Workers];
        pool.RunOnEveryWorker(worker => threads[worker] = Environment.CurrentManagedThreadId);
        return threads;
    }

    /// <summary>How many times each task of each round ran, each round with its own counters.</summary>
    private sealed class RoundLog(int rounds, int maxTasks)
    {
        private readonly int[] _counts = new int[rounds * maxTasks];
        private readonly int[] _taskCounts = new int[rounds];

        public int Rounds => rounds;

        /// <summary>
        /// The task of round <paramref name="round"/>: it counts itself in that round's counters, so that a worker that
        /// ran it in a later round, or twice, shows up in them.
        /// </summary>
        public Action<int> CounterFor(int round) => task => Interlocked.Increment(ref _counts[round * maxTasks + task]);

        public void AssertEachRanOnce(int round, int tasks)
        {
            _taskCounts[round] = tasks;
            for (int task = 0; task < maxTasks; task++)
            {
                int count = Volatile.Read(ref _counts[round * maxTasks + task]), expected = task < tasks ? 1 : 0;
                Assert.True(count == expected, $"round {round}: task {task} of {tasks} ran {count} times");
            }
        }

        public void AssertAllRanOnce()
        {
            for (int round = 0; round < rounds; round++)
            {
                AssertEachRanOnce(round, _taskCounts[round]);
            }
        }
    }
}
