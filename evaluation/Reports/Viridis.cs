using System.Globalization;

namespace Custom.Evaluation.Reports;

/// plotly.js's Viridis colour scale, written out so that the label colour on each heatmap cell can be chosen against
/// the cell's actual colour (WCAG relative luminance and contrast ratio).
internal static class Viridis
{
    public static readonly (double Position, string Hex)[] Stops =
    [
        (0.00, "#440154"), (0.06, "#48186a"), (0.12, "#472d7b"), (0.18, "#424086"), (0.25, "#3b528b"),
        (0.31, "#33638d"), (0.37, "#2c728e"), (0.43, "#26828e"), (0.50, "#21918c"), (0.56, "#1fa088"),
        (0.62, "#28ae80"), (0.68, "#3fbc73"), (0.75, "#5ec962"), (0.81, "#84d44b"), (0.87, "#addc30"),
        (0.93, "#d8e219"), (1.00, "#fde725"),
    ];

    public const string Dark = "#000000";
    public const string Light = "#ffffff";

    /// The colour of the scale at <paramref name="value"/> (clamped to [0, 1]), linearly between stops, as plotly.js draws it.
    public static (double R, double G, double B) ColorAt(double value)
    {
        double v = Math.Clamp(value, 0, 1);
        int i = 1;
        while (i < Stops.Length - 1 && Stops[i].Position < v)
        {
            i++;
        }

        var (p0, h0) = Stops[i - 1];
        var (p1, h1) = Stops[i];
        double t = p1 == p0 ? 0 : (v - p0) / (p1 - p0);
        var a = Rgb(h0);
        var b = Rgb(h1);
        return (a.R + t * (b.R - a.R), a.G + t * (b.G - a.G), a.B + t * (b.B - a.B));
    }

    /// Black or white, whichever contrasts more with the cell colour at <paramref name="value"/>.
    public static string LabelColor(double value)
    {
        double cell = Luminance(ColorAt(value));
        return Contrast(cell, 1.0) >= Contrast(cell, 0.0) ? Light : Dark;
    }

    /// WCAG contrast ratio of two relative luminances.
    public static double Contrast(double l1, double l2) => (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);

    /// WCAG relative luminance of an sRGB colour with channels in [0, 255].
    public static double Luminance((double R, double G, double B) color)
    {
        static double Linear(double channel)
        {
            double c = channel / 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return 0.2126 * Linear(color.R) + 0.7152 * Linear(color.G) + 0.0722 * Linear(color.B);
    }

    public static (double R, double G, double B) Rgb(string hex) =>
        (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
