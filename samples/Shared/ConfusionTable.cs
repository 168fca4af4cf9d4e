using System.Globalization;
using Spectre.Console;

namespace Samples.Shared;

/// <summary>A confusion matrix as a console table, the diagonal in green and empty cells in grey.</summary>
internal static class ConfusionTable
{
    /// <summary>The table of <paramref name="counts"/>, entry [actual, predicted] as <see cref="NetGen.Metrics.ConfusionMatrix"/> gives.</summary>
    public static Table Create(int[,] counts)
    {
        int classes = counts.GetLength(0);
        var table = new Table().Border(TableBorder.Minimal).Title("confusion matrix (rows: true digit, columns: predicted)");
        table.AddColumn("");
        for (int predicted = 0; predicted < classes; predicted++)
        {
            table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (int actual = 0; actual < classes; actual++)
        {
            var row = new string[classes + 1];
            row[0] = actual.ToString(CultureInfo.InvariantCulture);
            for (int predicted = 0; predicted < classes; predicted++)
            {
                string count = counts[actual, predicted].ToString(CultureInfo.InvariantCulture);
                row[predicted + 1] = actual == predicted ? $"[green]{count}[/]" : counts[actual, predicted] == 0 ? "[grey]0[/]" : count;
            }

            table.AddRow(row);
        }

        return table;
    }
}
