using System.Text.Json;
using System.Text.Json.Nodes;

namespace Driftvy.Web.Dashboard.Boards;

/// <summary>Dashboard settings. Section <c>Dashboards</c>.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboards";

    /// <summary>Folder of board files (<c>*.json</c>); relative paths resolve against the content root, then the app folder.</summary>
    public string Directory { get; set; } = "dashboards";

    /// <summary>The board shown at <c>/</c>.</summary>
    public string DefaultBoard { get; set; } = "kontaktcenter";
}

/// <summary>A board file that cannot be used, with the file and field at fault.</summary>
public sealed class BoardFileException(string file, string field, string message)
    : Exception($"{file}: {field}: {message}")
{
    public string File { get; } = file;

    public string Field { get; } = field;
}

/// <summary>The boards loaded from the dashboards folder.</summary>
public sealed class BoardCatalog
{
    private readonly Dictionary<string, BoardDefinition> _boards;

    public BoardCatalog(IEnumerable<BoardDefinition> boards, string defaultBoard)
    {
        _boards = boards.ToDictionary(b => b.Id, StringComparer.Ordinal);
        DefaultBoard = defaultBoard;
    }

    public string DefaultBoard { get; }

    public IReadOnlyCollection<BoardDefinition> All => _boards.Values;

    public BoardDefinition? Find(string id) => _boards.GetValueOrDefault(id);

    /// <summary>Loads every <c>*.json</c> in <paramref name="directory"/>; a bad file stops with its name and field.</summary>
    public static BoardCatalog Load(string directory, string defaultBoard)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new BoardFileException(directory, "Dashboards:Directory", "folder not found");
        }

        var boards = System.IO.Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(Parse)
            .ToList();
        var duplicate = boards.GroupBy(b => b.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new BoardFileException(directory, "id", $"board id '{duplicate.Key}' is defined twice");
        }

        if (boards.All(b => b.Id != defaultBoard))
        {
            throw new BoardFileException(directory, "Dashboards:DefaultBoard", $"no board has id '{defaultBoard}'");
        }

        return new BoardCatalog(boards, defaultBoard);
    }

    internal static BoardDefinition Parse(string file)
    {
        var name = Path.GetFileName(file);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new BoardFileException(name, $"line {ex.LineNumber + 1}", ex.Message);
        }

        if (root is not JsonObject obj)
        {
            throw new BoardFileException(name, "$", "a board file must hold one JSON object");
        }

        var id = RequiredString(obj, "id", name, "id");
        var title = RequiredString(obj, "title", name, "title");
        if (obj["tiles"] is not JsonArray tiles || tiles.Count == 0)
        {
            throw new BoardFileException(name, "tiles", "at least one tile is required");
        }

        var tileList = new List<TileDefinition>();
        for (var i = 0; i < tiles.Count; i++)
        {
            var path = $"tiles[{i}]";
            if (tiles[i] is not JsonObject t)
            {
                throw new BoardFileException(name, path, "must be an object");
            }

            var queue = RequiredString(t, "queue", name, path + ".queue");
            var tileTitle = t["title"]?.GetValue<string>() ?? queue;
            var kpi = RequiredString(t, "kpi", name, path + ".kpi");
            tileList.Add(new TileDefinition(queue, tileTitle, kpi));
        }

        return new BoardDefinition(id, title, tileList);
    }

    private static string RequiredString(JsonObject obj, string key, string file, string path)
    {
        try
        {
            var value = obj[key]?.GetValue<string>();
            return string.IsNullOrWhiteSpace(value) ? throw new BoardFileException(file, path, "is required") : value;
        }
        catch (InvalidOperationException)
        {
            throw new BoardFileException(file, path, "must be a string");
        }
    }
}
