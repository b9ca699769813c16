using Custom.Data;
using Custom.Data.Selection;
using Custom.Tests.Support;

namespace Custom.Tests.Data.Selection;

public sealed class SelectionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Label_csv_keeps_quoted_names_with_commas_and_quotes()
    {
        string path = _temp.File("labels.csv");
        File.WriteAllLines(path, ["index,mid,display_name", "0,/m/a,\"Speech\"", "3,/m/b,\"Child speech, kid speaking\"", "9,/m/c,\"Say \"\"hi\"\", twice\"", "10,/m/d,Plain"]);
        var catalog = LabelCatalog.Load(path);
        Assert.Equal(["Speech", "Child speech, kid speaking", "Say \"hi\", twice", "Plain"], catalog.Entries.Select(e => e.Name));
        Assert.Equal("/m/b", catalog.FindIndex(3)!.Mid);
    }

    [Fact]
    public void Label_csv_error_names_file_and_line()
    {
        string path = _temp.File("labels.csv");
        File.WriteAllLines(path, ["index,mid,display_name", "0,/m/a,Speech", "x,/m/b,\"unterminated"]);
        var error = Assert.Throws<InvalidInputException>(() => LabelCatalog.Load(path));
        Assert.StartsWith($"{path}: line 3:", error.Message);
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Real_label_csv_has_every_default_class_with_matching_mid()
    {
        var catalog = AudioSetData.Folder.Catalog!;
        Assert.Equal(527, catalog.Entries.Count);
        foreach (var c in ClassSet.Default)
        {
            Assert.Equal(c.Mid, catalog.FindIndex(c.Index)!.Mid);
        }

        Assert.Equal("Pigeon, dove", catalog.FindIndex(115)!.Name);
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Class_set_resolves_names_indices_and_mids_in_the_order_given()
    {
        var catalog = AudioSetData.Folder.Catalog;
        var set = ClassSet.Resolve(["dog", "0", "/m/03kmc9", "Bird"], catalog);
        Assert.Equal(["Dog", "Speech", "Siren", "Bird"], set.Names);
        Assert.Equal(3, set.PositionOf(set[3].Index));
        Assert.Equal(-1, set.PositionOf(999));
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Unknown_class_is_an_error_with_suggestions()
    {
        var error = Assert.Throws<InvalidInputException>(() => ClassSet.Resolve(["Speach", "Speech"], null));
        Assert.StartsWith("unknown class 'Speach'", error.Message);
        var suggestion = Assert.Throws<InvalidInputException>(() => ClassSet.Resolve(["horn"], AudioSetData.Folder.Catalog));
        Assert.Contains("'Vehicle horn, car horn, honking' (308)", suggestion.Message);
    }

    [Fact]
    public void Duplicate_classes_are_rejected()
    {
        var error = Assert.Throws<InvalidInputException>(() => ClassSet.Resolve(["Dog", "74"], null));
        Assert.Contains("listed twice", error.Message);
    }

    [Theory]
    [InlineData(new[] { 74 }, SelectionOutcome.Selected, 2)]
    [InlineData(new[] { 500, 74, 1 }, SelectionOutcome.Selected, 2)]
    [InlineData(new[] { 74, 74 }, SelectionOutcome.Selected, 2)]
    [InlineData(new[] { 0, 74 }, SelectionOutcome.Multi, -1)]
    [InlineData(new[] { 1, 2, 527, 10_000 }, SelectionOutcome.None, -1)]
    [InlineData(new int[0], SelectionOutcome.None, -1)]
    public void Exactly_one_keeps_clips_with_one_selected_label(int[] labels, SelectionOutcome outcome, int position)
    {
        Assert.Equal(new SelectionResult(outcome, position), ClipSelector.Default.Select(labels));
    }

    [Fact]
    public void First_listed_keeps_multi_label_clips_as_the_earliest_class_in_the_set()
    {
        var set = ClassSet.Resolve(["Siren", "Speech", "Dog"], null);
        var selector = new ClipSelector(set, SelectionPolicy.FirstListed);
        Assert.Equal(new SelectionResult(SelectionOutcome.Selected, 1), selector.Select([74, 0]));
        Assert.Equal(new SelectionResult(SelectionOutcome.Selected, 0), selector.Select([0, 396, 74]));
        Assert.Equal(new SelectionResult(SelectionOutcome.None, -1), selector.Select([5]));
        Assert.Equal(new SelectionResult(SelectionOutcome.Multi, -1), new ClipSelector(set).Select([0, 396]));
    }

    [Fact]
    public void Policy_names_round_trip_and_unknown_names_are_errors()
    {
        foreach (var policy in Enum.GetValues<SelectionPolicy>())
        {
            Assert.Equal(policy, SelectionPolicyNames.Parse(policy.ToName()));
        }

        Assert.Contains("exactly-one or first-listed", Assert.Throws<InvalidInputException>(() => SelectionPolicyNames.Parse("all")).Message);
    }
}
