using Custom.Training.Onnx.Protos;

namespace Custom.Training.Onnx;

/// The structural rules of the ONNX specification that can be checked without the operator schemas.
internal static class OnnxValidator
{
    public static IReadOnlyList<string> Problems(ModelProto model)
    {
        var problems = new List<string>();
        var graph = model.Graph;
        if (graph is null)
        {
            return ["the model has no graph"];
        }

        if (!model.HasIrVersion || model.IrVersion < 3)
        {
            problems.Add("ir_version must be set (3 or later, for opset imports)");
        }

        var domains = model.OpsetImport.Select(o => o.Domain).ToHashSet(StringComparer.Ordinal);
        if (!domains.Contains(""))
        {
            problems.Add("no opset import for the default domain (ai.onnx)");
        }

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in graph.Input.Concat(graph.Output))
        {
            if (value.Type?.TensorType is not { HasElemType: true, ElemType: > 0 } tensor || tensor.Shape is null)
            {
                problems.Add($"graph input/output '{value.Name}' has no element type or shape");
            }
        }

        foreach (var input in graph.Input)
        {
            if (!defined.Add(input.Name))
            {
                problems.Add($"'{input.Name}' is defined twice");
            }
        }

        foreach (var initializer in graph.Initializer)
        {
            if (!defined.Add(initializer.Name))
            {
                problems.Add($"'{initializer.Name}' is defined twice");
            }
        }

        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            string label = $"node '{node.Name}' ({node.OpType})";
            if (!domains.Contains(node.Domain))
            {
                problems.Add($"{label} uses domain '{node.Domain}' but the model imports no opset for it");
            }

            if (node.HasName && !nodeNames.Add(node.Name))
            {
                problems.Add($"{label}: node name used twice");
            }

            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                if (!defined.Contains(input))
                {
                    problems.Add($"{label} reads '{input}', which no graph input, initializer or earlier node defines");
                }
            }

            foreach (string output in node.Output)
            {
                if (!defined.Add(output))
                {
                    problems.Add($"{label} writes '{output}', which is already defined");
                }
            }
        }

        foreach (var output in graph.Output)
        {
            if (!defined.Contains(output.Name))
            {
                problems.Add($"graph output '{output.Name}' is not produced by any node");
            }
        }

        return problems;
    }
}
