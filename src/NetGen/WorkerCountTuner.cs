using System;
using System.Diagnostics;

namespace NetGen;

/// <summary>
/// Chooses how many of the pool's workers take part in the next training steps, from how long the last steps took per
/// row: now and then it tries a neighbouring count for a short window and keeps it if it was faster. On a machine other
/// processes keep busy, a worker waiting for a core makes a step slower than fewer workers would; this finds the count
/// the machine can give right now. Which workers take part never changes the result (<see cref="WorkerPool"/>), so the
/// tuner can only change the speed.
/// </summary>
/// <remarks>
/// A probe window is compared with the windows just before and just after it at the count in use, and wins only if it
/// beats both, so that a machine that slows down or speeds up during the probe does not decide it. A probe that loses
/// is repeated after twice as many windows, up to <see cref="MaximumWindowsBetweenProbes"/>, so that on a steady
/// machine probing costs about one percent; a window much slower than the one before it (the load changed) probes at
/// once.
/// </remarks>
internal sealed class WorkerCountTuner
{
    // A window is long enough to average out a scheduler time slice, and at least a few steps.
    private static readonly long WindowTicks = Stopwatch.Frequency / 200;
    private const int WindowSteps = 4;
    private const int MaximumWindowsBetweenProbes = 64;

    // A probe must beat the count in use by this factor to replace it; a window this much slower than the last means
    // the machine changed.
    private const double Better = 0.95;
    private const double Changed = 1.5;

    private readonly int _workers;
    private int _active;
    private int _probe;
    private Phase _phase;
    private bool _probeBelowNext = true;
    private double _ticksPerRow;
    private double _probeTicksPerRow;
    private int _windowsBetweenProbes = 1;
    private int _windowsUntilProbe = 1;
    private long _windowTicks;
    private int _windowRows;
    private int _windowSteps;

    public WorkerCountTuner(int workers)
    {
        _workers = workers;
        _active = workers;
    }

    private enum Phase
    {
        /// <summary>Windows at the count in use.</summary>
        Steady,

        /// <summary>A window at <see cref="_probe"/>.</summary>
        Probing,

        /// <summary>The window after a probe, back at the count in use, that the probe must also beat.</summary>
        Checking,
    }

    /// <summary>The workers the next step should use.</summary>
    public int Active => _phase == Phase.Probing ? _probe : _active;

    /// <summary>Records a step of <paramref name="rows"/> rows that took <paramref name="ticks"/> <see cref="Stopwatch"/> ticks with <see cref="Active"/> workers.</summary>
    public void Record(long ticks, int rows)
    {
        _windowTicks += ticks;
        _windowRows += rows;
        if (++_windowSteps < WindowSteps || _windowTicks < WindowTicks)
        {
            return;
        }

        double ticksPerRow = (double)_windowTicks / Math.Max(_windowRows, 1);
        _windowTicks = 0;
        _windowRows = 0;
        _windowSteps = 0;
        switch (_phase)
        {
            case Phase.Probing:
                _probeTicksPerRow = ticksPerRow;
                _phase = Phase.Checking;
                return;
            case Phase.Checking:
                if (_probeTicksPerRow < Math.Min(_ticksPerRow, ticksPerRow) * Better)
                {
                    _active = _probe;
                    _ticksPerRow = _probeTicksPerRow;
                    _windowsBetweenProbes = 1;
                }
                else
                {
                    _ticksPerRow = ticksPerRow;
                    _windowsBetweenProbes = Math.Min(_windowsBetweenProbes * 2, MaximumWindowsBetweenProbes);
                }

                _phase = Phase.Steady;
                _windowsUntilProbe = _windowsBetweenProbes;
                return;
        }

        if (_ticksPerRow > 0 && ticksPerRow > _ticksPerRow * Changed)
        {
            _windowsBetweenProbes = 1;
            _windowsUntilProbe = 1;
        }

        _ticksPerRow = ticksPerRow;
        if (--_windowsUntilProbe > 0)
        {
            return;
        }

        _probe = NextProbe();
        if (_probe == 0)
        {
            _windowsUntilProbe = MaximumWindowsBetweenProbes;
            return;
        }

        _phase = Phase.Probing;
    }

    /// <summary>A count a quarter away from the one in use, below and above in turn; 0 when there is none.</summary>
    private int NextProbe()
    {
        int step = Math.Max(1, _active / 4);
        int below = _active - step, above = Math.Min(_workers, _active + step);
        bool canGoBelow = below >= 1, canGoAbove = above > _active;
        bool belowThisTime = _probeBelowNext;
        _probeBelowNext = !_probeBelowNext;
        if (canGoBelow && (belowThisTime || !canGoAbove))
        {
            return below;
        }

        return canGoAbove ? above : 0;
    }
}
