using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Custom.Evaluation.Reports;

/// The few Plotly.NET layout calls the C# bindings leave out, over its F# API.
internal static class ChartStyle
{
    public static GenericChart Titled(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);

    /// Symmetric error bars of the given sizes on the chart's y values.
    public static GenericChart WithErrorBars(this GenericChart chart, IEnumerable<double> sizes) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(
            Visible: FSharpOption<bool>.Some(true),
            Type: FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data),
            Symmetric: FSharpOption<bool>.Some(true),
            Array: FSharpOption<IEnumerable<double>>.Some(sizes.ToArray()),
            Arrayminus: FSharpOption<IEnumerable<double>>.None,
            Value: FSharpOption<double>.None,
            Valueminus: FSharpOption<double>.None,
            Traceref: FSharpOption<int>.None,
            Tracerefminus: FSharpOption<int>.None,
            Copy_ystyle: FSharpOption<bool>.None,
            Color: FSharpOption<Color>.None,
            Thickness: FSharpOption<double>.None,
            Width: FSharpOption<double>.None).Invoke(chart);
}
