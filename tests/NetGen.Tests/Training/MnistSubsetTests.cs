using System;
using System.IO;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>The committed MNIST subset (2,000 training and 500 test images) trains in seconds.</summary>
public class MnistSubsetTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Data", "MnistSubset");

    [Fact]
    public void A_784_64_10_network_trained_on_the_subset_classifies_over_85_percent_of_its_test_images()
    {
        Dataset train = IdxReader.ReadClassification(
            Path.Combine(Folder, "train-images-idx3-ubyte.gz"), Path.Combine(Folder, "train-labels-idx1-ubyte.gz"), 10);
        Dataset test = IdxReader.ReadClassification(
            Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"), 10);
        Assert.Equal((2_000, 500, 784), (train.Count, test.Count, train.InputSize));

        var network = new MnistSubsetNet();
        var trainer = new Trainer<MnistSubsetNet>(network, new Adam(), new TrainingOptions
        {
            Epochs = 8,
            BatchSize = 32,
            LearningRate = 2e-3f,
            Schedule = LearningRateSchedule.Cosine(8),
            Seed = 1,
        });

        trainer.Fit(train);
        Evaluation result = trainer.Evaluate(test);

        Assert.True(result.Accuracy > 0.85f, $"test accuracy {result.Accuracy:P2}");
    }
}
