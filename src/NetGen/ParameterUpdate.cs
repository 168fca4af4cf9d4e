using System;

namespace NetGen;

/// <summary>
/// The third round of a training step: each task scales its parameter ranges of the gradients by the clip-by-norm
/// factor, copies its parameters for the divergence guard and runs <see cref="Optimizer.StepRange"/> on them, a chunk at
/// a time. If any parameter comes out NaN or infinite, <see cref="Rollback"/> puts back those of before the step.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class ParameterUpdate<TNetwork>
    where TNetwork : INetwork
{
    private readonly TNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly WorkShares _shares;
    private readonly float? _clipNorm;
    // Aligned like the parameters, so that workers copying neighbouring ranges never write the same cache line.
    private readonly AlignedBuffer _parametersBeforeStep;
    private readonly bool[] _taskFinite;
    private float _clipScale;
    private float _learningRate;

    public ParameterUpdate(TNetwork network, Optimizer optimizer, WorkShares shares, float? clipNorm)
    {
        _network = network;
        _optimizer = optimizer;
        _shares = shares;
        _clipNorm = clipNorm;
        _parametersBeforeStep = new AlignedBuffer(network.ParameterCount);
        _taskFinite = new bool[shares.TaskCount];
    }

    /// <summary>Whether every parameter the last update wrote is finite.</summary>
    public bool AllFinite => PerTask.AllTrue(_taskFinite);

    /// <summary>
    /// Prepares an update at <paramref name="learningRate"/> of gradients whose squared norm is
    /// <paramref name="squaredNorm"/>: the clip-by-norm factor, and the optimizer's step count (once, before the round).
    /// </summary>
    public void Begin(float learningRate, double squaredNorm)
    {
        _clipScale = 1f;
        if (_clipNorm is float maxNorm)
        {
            double norm = Math.Sqrt(squaredNorm);
            if (norm > maxNorm)
            {
                // PyTorch's clip_grad_norm_ adds the same 1e-6 so that the clipped norm lands just under the limit.
                _clipScale = (float)(maxNorm / (norm + 1e-6));
            }
        }

        _learningRate = learningRate;
        _optimizer.BeginStep(_network.ParameterCount);
    }

    /// <summary>Clips, copies and updates task <paramref name="task"/>'s parameter ranges.</summary>
    public void Run(int task)
    {
        bool finite = true;
        foreach ((int chunk, int count) in _shares.ParametersOf(task))
        {
            Span<float> parameters = _network.Parameters.Slice(chunk, count);
            Span<float> gradients = _network.Gradients.Slice(chunk, count);
            if (_clipScale != 1f)
            {
                SpanMath.Scale(gradients, _clipScale);
            }

            parameters.CopyTo(_parametersBeforeStep.Slice(chunk, count));
            _optimizer.StepRange(parameters, gradients, chunk, _learningRate);
            finite &= SpanMath.AllFinite(parameters);
        }

        _taskFinite[task] = finite;
    }

    /// <summary>Puts back the parameters of before the last update.</summary>
    public void Rollback() => _parametersBeforeStep.Span.CopyTo(_network.Parameters);
}
