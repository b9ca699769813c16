namespace Custom.Evaluation;

/// <summary>One leaf value of a metrics file.</summary>
/// <param name="Name">A readable path such as <c>macro_f1</c>, <c>per_class[Dog].f1</c> or <c>confusion_matrix[Speech][Dog]</c>.</param>
/// <param name="Json">The value's JSON text as written in the file (strings keep their quotes).</param>
/// <param name="Number">The value when it is a number, otherwise null.</param>
public sealed record MetricsFigure(string Name, string Json, double? Number);
