namespace NetGen;

/// <summary>
/// Totals of what each task of a round recorded in its own slot, taken in task order so that a run repeats bit for
/// bit.
/// </summary>
internal static class PerTask
{
    public static bool AllTrue(bool[] values)
    {
        foreach (bool value in values)
        {
            if (!value)
            {
                return false;
            }
        }

        return true;
    }

    public static double Sum(double[] values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum;
    }

    public static int Sum(int[] values)
    {
        int sum = 0;
        foreach (int value in values)
        {
            sum += value;
        }

        return sum;
    }
}
