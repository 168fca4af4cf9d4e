using System;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>2-2-1 networks whose every number is worked out by hand below.</summary>
public class HandWorkedExampleTests
{
    [Fact]
    public void Relu_identity_mse_network_gives_the_hand_computed_outputs_loss_and_gradients()
    {
        var network = new HandWorkedRelu();
        // W1 = [[0.5, −1], [1, 0.25]] (row o holds output o's weights), b1 = [0, 0.5], W2 = [[2, −0.5]], b2 = [0.25],
        // stored input-major: W1 as [0.5, 1, −1, 0.25].
        float[] parameters = { 0.5f, 1f, -1f, 0.25f, 0f, 0.5f, 2f, -0.5f, 0.25f };
        parameters.CopyTo(network.Parameters);
        float[] x = { 1f, 2f };
        float[] t = { 0.25f };
        var y = new float[1];

        network.Forward(x, y);
        float loss = network.Backward(t);

        // z1 = W1·x + b1 = [0.5 − 2 + 0, 1 + 0.5 + 0.5] = [−1.5, 2]; a1 = relu(z1) = [0, 2]
        // y = W2·a1 + b2 = 0 − 1 + 0.25 = −0.75; loss = (y − t)² = (−1)² = 1
        Assert.Equal(-0.75f, y[0]);
        Assert.Equal(1f, loss);

        // δ2 = 2(y − t) = −2; dW2 = δ2·a1 = [0, −4]; db2 = −2
        // δ1 = (W2ᵀ·δ2) ⊙ relu'(z1) = [−4, 1] ⊙ [0, 1] = [0, 1]; dW1 = δ1·xᵀ = [[0, 0], [1, 2]]; db1 = [0, 1]
        // Input-major, dW1 is stored as [0, 1, 0, 2].
        float[] expected = { 0f, 1f, 0f, 2f, 0f, 1f, 0f, -4f, -2f };
        Assert.Equal(expected, network.Gradients.ToArray());
    }

    [Fact]
    public void Tanh_sigmoid_bce_network_gives_the_hand_computed_outputs_loss_and_gradients()
    {
        var network = new HandWorkedBce();
        // W1 = [[0.1, 0.2], [−0.3, 0.4]], b1 = [0.05, −0.05], W2 = [[0.7, −0.6]], b2 = [0.1]; W1 stored input-major.
        float[] parameters = { 0.1f, -0.3f, 0.2f, 0.4f, 0.05f, -0.05f, 0.7f, -0.6f, 0.1f };
        parameters.CopyTo(network.Parameters);
        float[] x = { 1f, -1f };
        var y = new float[1];

        network.Forward(x, y);
        float loss = network.Backward(new[] { 1f });

        // z1 = [0.1 − 0.2 + 0.05, −0.3 − 0.4 − 0.05] = [−0.05, −0.75]; a1 = tanh(z1)
        double a10 = Math.Tanh(-0.05), a11 = Math.Tanh(-0.75);
        // z2 = 0.7·a10 − 0.6·a11 + 0.1; y = sigmoid(z2); loss = −log y for t = 1
        double z2 = 0.7 * a10 - 0.6 * a11 + 0.1;
        double y2 = 1 / (1 + Math.Exp(-z2));
        Assert.Equal(y2, y[0], 6);
        Assert.Equal(-Math.Log(y2), loss, 6);

        // δ2 = y − t; dW2 = δ2·a1; db2 = δ2; δ1 = W2ᵀ·δ2 ⊙ (1 − a1²); dW1 = δ1·xᵀ; db1 = δ1
        double d2 = y2 - 1;
        double d10 = 0.7 * d2 * (1 - a10 * a10), d11 = -0.6 * d2 * (1 - a11 * a11);
        double[] expected = { d10 * 1, d11 * 1, d10 * -1, d11 * -1, d10, d11, d2 * a10, d2 * a11, d2 };
        Numeric.AssertClose(expected, network.Gradients.ToArray(), 1e-6, "gradients");
    }
}
