using System;
using System.Linq;
using System.Threading;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Training split by layer outputs (<see cref="ThreadSplit.Outputs"/>) and the split passes it runs on.</summary>
public class OutputSplitTests
{
    public static TheoryData<string, int> NetworksAndThreads()
    {
        var data = new TheoryData<string, int>();
        foreach (string network in new[]
        {
            nameof(MixedPathsCe), nameof(WideVectorBce), nameof(WideVectorMse), nameof(DeepVector), nameof(DeepUnrolled), nameof(MnistSubsetNet),
            nameof(ConvPoolCe), nameof(ConvStridePaddingMse), nameof(DeepConvBce), nameof(DenseDropoutCe),
        })
        {
            data.Add(network, 2);
            data.Add(network, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void Splitting_by_outputs_trains_the_single_thread_parameters_bit_for_bit(string network, int threads)
    {
        foreach (bool adam in new[] { false, true })
        {
            float[] single = Train(network, threads: 1, ThreadSplit.Samples, adam, clipNorm: false);
            float[] split = Train(network, threads, ThreadSplit.Outputs, adam, clipNorm: false);
            Assert.Equal(single, split);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Clipping_by_norm_split_by_outputs_matches_one_thread_up_to_the_norm_summation_order(int threads)
    {
        float[] single = Train(nameof(MixedPathsCe), threads: 1, ThreadSplit.Samples, adam: true, clipNorm: true);
        float[] split = Train(nameof(MixedPathsCe), threads, ThreadSplit.Outputs, adam: true, clipNorm: true);
        Numeric.AssertClose(single.Select(v => (double)v).ToArray(), split, 1e-6, "parameters");
    }

    [Fact]
    public void Evaluation_split_by_outputs_reports_the_single_thread_loss_and_accuracy()
    {
        var network = new MixedPathsCe();
        Dataset data = TrainerLifecycleTests.RandomClassification(network, 50, seed: 8);
        using var single = new Trainer<MixedPathsCe>(network, new Sgd(), new TrainingOptions { BatchSize = 16, Threads = 1 });
        using var split = new Trainer<MixedPathsCe>(network, new Sgd(), new TrainingOptions { BatchSize = 16, Threads = 2, Split = ThreadSplit.Outputs });

        Evaluation expected = single.Evaluate(data), actual = split.Evaluate(data);

        Assert.Equal(expected.Accuracy, actual.Accuracy);
        Assert.Equal(expected.Loss, actual.Loss, 5);
    }

    [Fact]
    public void An_exploding_learning_rate_split_by_outputs_stops_training_and_restores_finite_parameters()
    {
        var network = new MixedPathsCe();
        Dataset data = TrainerLifecycleTests.RandomClassification(network, 40, seed: 2);
        using var trainer = new Trainer<MixedPathsCe>(network, new Sgd(0.9f), new TrainingOptions
        {
            Epochs = 50,
            BatchSize = 8,
            LearningRate = 1e6f,
            Threads = 2,
            Split = ThreadSplit.Outputs,
        });

        Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void More_threads_than_a_batch_has_samples_still_train_every_sample()
    {
        float[] single = Train(nameof(MixedPathsCe), threads: 1, ThreadSplit.Samples, adam: false, clipNorm: false, batchSize: 2);
        float[] split = Train(nameof(MixedPathsCe), threads: 4, ThreadSplit.Outputs, adam: false, clipNorm: false, batchSize: 2);
        Assert.Equal(single, split);
    }

    [Fact]
    public void An_undefined_split_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<XorNet>(new XorNet(), new Sgd(), new TrainingOptions { Split = (ThreadSplit)7 }));
        Assert.Equal("Split", error.ParamName);
    }

    [Fact]
    public void A_barrier_abandoned_by_one_worker_releases_the_others_with_false()
    {
        var barrier = new SpinBarrier(3);
        bool?[] results = new bool?[2];
        Thread[] waiting = Enumerable.Range(0, 2).Select(i => StartThread(() => results[i] = barrier.SignalAndWait())).ToArray();
        Thread.Sleep(50);
        Assert.All(results, result => Assert.Null(result));

        barrier.Abandon();

        Assert.All(waiting, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "a waiting worker was not released"));
        Assert.All(results, result => Assert.False(result));
    }

    [Fact]
    public void A_barrier_holds_each_worker_until_all_have_arrived_phase_after_phase()
    {
        const int Workers = 3, Phases = 2_000;
        var barrier = new SpinBarrier(Workers);
        int[] arrived = new int[Phases];
        int early = 0;
        Thread[] threads = Enumerable.Range(0, Workers).Select(_ => StartThread(() =>
        {
            for (int phase = 0; phase < Phases; phase++)
            {
                Interlocked.Increment(ref arrived[phase]);
                if (!barrier.SignalAndWait() || Volatile.Read(ref arrived[phase]) != Workers)
                {
                    Interlocked.Increment(ref early);
                }
            }
        })).ToArray();

        Assert.All(threads, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a worker did not finish"));
        Assert.Equal(0, early);
    }

    private static Thread StartThread(Action work)
    {
        var thread = new Thread(() => work()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static float[] Train(string name, int threads, ThreadSplit split, bool adam, bool clipNorm, int batchSize = 16) => name switch
    {
        nameof(MixedPathsCe) => Train(new MixedPathsCe(), threads, split, adam, clipNorm, batchSize),
        nameof(WideVectorBce) => Train(new WideVectorBce(), threads, split, adam, clipNorm, batchSize),
        nameof(WideVectorMse) => Train(new WideVectorMse(), threads, split, adam, clipNorm, batchSize),
        nameof(DeepVector) => Train(new DeepVector(), threads, split, adam, clipNorm, batchSize),
        nameof(DeepUnrolled) => Train(new DeepUnrolled(), threads, split, adam, clipNorm, batchSize),
        nameof(MnistSubsetNet) => Train(new MnistSubsetNet(), threads, split, adam, clipNorm, batchSize),
        nameof(ConvPoolCe) => Train(new ConvPoolCe(), threads, split, adam, clipNorm, batchSize),
        nameof(ConvStridePaddingMse) => Train(new ConvStridePaddingMse(), threads, split, adam, clipNorm, batchSize),
        nameof(DeepConvBce) => Train(new DeepConvBce(), threads, split, adam, clipNorm, batchSize),
        nameof(DenseDropoutCe) => Train(new DenseDropoutCe(), threads, split, adam, clipNorm, batchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a test network"),
    };

    /// <summary>Two epochs of 45 samples (the last batch short) with clipping by value and L1/L2 penalties.</summary>
    private static float[] Train<TNetwork>(TNetwork network, int threads, ThreadSplit split, bool adam, bool clipNorm, int batchSize)
        where TNetwork : INetwork
    {
        Dataset data = RandomRegressionOrClasses(network, 45, seed: 12);
        var options = new TrainingOptions
        {
            Epochs = 2,
            BatchSize = batchSize,
            LearningRate = adam ? 0.01f : 0.05f,
            Threads = threads,
            Split = split,
            ClipValue = 0.5f,
            ClipNorm = clipNorm ? 0.3f : null,
            L1 = 1e-4f,
            L2 = 1e-3f,
            Seed = 3,
        };
        using var trainer = new Trainer<TNetwork>(network, adam ? new Adam() : new Sgd(0.9f), options);
        trainer.Fit(data);
        return network.Parameters.ToArray();
    }

    private static Dataset RandomRegressionOrClasses(INetwork network, int count, int seed)
    {
        if (network.Architecture.Contains("Softmax", StringComparison.Ordinal))
        {
            return TrainerLifecycleTests.RandomClassification(network, count, seed);
        }

        var random = new SeededRandom(seed);
        float[] inputs = new float[count * network.InputSize], targets = new float[count * network.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSymmetric(1f);
        }

        for (int i = 0; i < targets.Length; i++)
        {
            // In [0, 1]: binary cross-entropy's targets, and fine for mean squared error.
            targets[i] = random.NextSymmetric(0.5f) + 0.5f;
        }

        return new Dataset(inputs, network.InputSize, targets, network.OutputSize);
    }
}
