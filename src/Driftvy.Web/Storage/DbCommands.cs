using System.Data;
using System.Data.Common;

namespace Driftvy.Web.Storage;

/// <summary>Plain ADO.NET commands on the database's own connection, for the few reads and writes EF Core does not fit.</summary>
internal static class DbCommands
{
    /// <summary>A command with <paramref name="sql"/> and typed, still empty parameters, enlisted in <paramref name="transaction"/>.</summary>
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, DbType Type)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }
}
