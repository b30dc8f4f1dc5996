//! Where the four warehouses write the same thing differently: quoting, characters by code
//! point, trimming a set of characters, casting to text, and reading a time. Everything else
//! the query uses (`LOWER`, `REPLACE`, `TRANSLATE`, `LENGTH`, `LIKE`, `CASE`, `NOT EXISTS`,
//! `COUNT(DISTINCT …)`) is written alike in all four. The sources of each fact are in
//! docs/scale.md ("Dialect notes").

use chrono::{DateTime, Utc};

/// A SQL dialect `--emit-sql` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Duckdb,
    Bigquery,
    Snowflake,
    Postgres,
}

/// A time zone suffix after the time of day (`Z`, `+01:00`, `+0100`, `+01`, ` UTC`), the mark
/// of a time that carries its own zone. Written without backslashes, which Snowflake's and
/// BigQuery's string literals would read as escapes.
const ZONE_SUFFIX: &str =
    "[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]+)?)? ?(Z|z|[+-][0-9][0-9](:?[0-9][0-9])?|UTC|GMT)$";

impl Dialect {
    /// The name as `--emit-sql` and the record spell it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Bigquery => "bigquery",
            Dialect::Snowflake => "snowflake",
            Dialect::Postgres => "postgres",
        }
    }

    /// A string literal. DuckDB and PostgreSQL (standard_conforming_strings, the default)
    /// read a backslash as itself and double a quote; Snowflake and BigQuery read a
    /// backslash as an escape, so it is escaped too, and BigQuery's single-quoted strings
    /// cannot hold a line break, so control characters are written as `\xHH` there
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical>).
    pub fn string(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('\'');
        for c in text.chars() {
            match (self, c) {
                (_, '\'') if matches!(self, Dialect::Bigquery) => out.push_str("\\'"),
                (_, '\'') => out.push_str("''"),
                (Dialect::Snowflake | Dialect::Bigquery, '\\') => out.push_str("\\\\"),
                (Dialect::Bigquery, c) if c.is_control() && (c as u32) < 0x80 => {
                    out.push_str(&format!("\\x{:02x}", c as u32));
                }
                (_, c) => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    /// One quoted identifier, exactly as given: `"name"` with `""` for a quote, or BigQuery's
    /// `` `name` `` with a backslash before a backtick or backslash.
    pub fn quote(self, name: &str) -> String {
        match self {
            Dialect::Bigquery => {
                let escaped = name.replace('\\', "\\\\").replace('`', "\\`");
                format!("`{escaped}`")
            }
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A plain identifier (letters, digits, `_`) quoted so that it names what the same word
    /// unquoted names: Snowflake folds unquoted names to upper case and PostgreSQL to lower
    /// case, and a quoted name is taken as written; DuckDB and BigQuery column names ignore
    /// case either way
    /// (<https://docs.snowflake.com/en/sql-reference/identifiers-syntax>).
    pub fn plain(self, name: &str) -> String {
        match self {
            Dialect::Snowflake => self.quote(&name.to_uppercase()),
            Dialect::Postgres => self.quote(&name.to_lowercase()),
            Dialect::Duckdb | Dialect::Bigquery => self.quote(name),
        }
    }

    /// A string of the characters with these code points.
    pub fn chars(self, code_points: &[u32]) -> String {
        if self == Dialect::Bigquery {
            let list: Vec<String> = code_points.iter().map(u32::to_string).collect();
            return format!("CODE_POINTS_TO_STRING([{}])", list.join(", "));
        }
        let chars: Vec<String> = code_points.iter().map(|c| format!("CHR({c})")).collect();
        format!("({})", chars.join(" || "))
    }

    /// `text` without any of `set`'s characters at either end.
    pub fn trim(self, text: &str, set: &str) -> String {
        match self {
            Dialect::Postgres => format!("BTRIM({text}, {set})"),
            _ => format!("TRIM({text}, {set})"),
        }
    }

    /// A column's value as text (a typed timestamp column included).
    pub fn text(self, expr: &str) -> String {
        let ty = match self {
            Dialect::Bigquery => "STRING",
            Dialect::Postgres => "TEXT",
            Dialect::Duckdb | Dialect::Snowflake => "VARCHAR",
        };
        format!("CAST({expr} AS {ty})")
    }

    /// The instant a time written as text means, or NULL when it is not a time: with its own
    /// zone as written, without one in `zone` (an IANA name).
    pub fn instant(self, text: &str, zone: &str) -> String {
        let zone = self.string(zone);
        let suffix = self.string(ZONE_SUFFIX);
        match self {
            Dialect::Duckdb => format!(
                "CASE WHEN regexp_matches({text}, {suffix}) THEN TRY_CAST({text} AS TIMESTAMPTZ) \
                 ELSE timezone({zone}, TRY_CAST({text} AS TIMESTAMP)) END"
            ),
            // PostgreSQL has no TRY_CAST: pg_input_is_valid (16 and later) guards each cast.
            // https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-VALIDITY
            Dialect::Postgres => format!(
                "CASE WHEN {text} ~ {suffix} THEN \
                 CASE WHEN pg_input_is_valid({text}, 'timestamptz') THEN CAST({text} AS TIMESTAMPTZ) END \
                 ELSE CASE WHEN pg_input_is_valid({text}, 'timestamp') THEN CAST({text} AS TIMESTAMP) AT TIME ZONE {zone} END END"
            ),
            // Compared as a UTC wall time (TIMESTAMP_NTZ), whichever way it was written; the
            // TRY_ forms return NULL where the conversion fails.
            // https://docs.snowflake.com/sql-reference/functions/try_to_timestamp
            Dialect::Snowflake => format!(
                "CASE WHEN REGEXP_LIKE({text}, {}) \
                 THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ({text})) AS TIMESTAMP_NTZ) \
                 ELSE CONVERT_TIMEZONE({zone}, 'UTC', TRY_TO_TIMESTAMP_NTZ({text})) END",
                self.string(&format!(".*{ZONE_SUFFIX}"))
            ),
            // TIMESTAMP(text, zone) reads a time without a zone in `zone`; SAFE. makes a
            // failure NULL.
            // The TIMESTAMP constructor with SAFE., NULL instead of an error:
            // https://cloud.google.com/bigquery/docs/reference/standard-sql/syntax
            Dialect::Bigquery => format!("SAFE.TIMESTAMP({text}, {zone})"),
        }
    }

    /// An instant as a literal of the type [`Dialect::instant`] gives.
    pub fn instant_literal(self, at: DateTime<Utc>) -> String {
        let wall = at.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
        match self {
            Dialect::Duckdb | Dialect::Postgres => format!("TIMESTAMPTZ '{wall}+00:00'"),
            Dialect::Bigquery => format!("TIMESTAMP '{wall}+00:00'"),
            Dialect::Snowflake => format!("CAST('{wall}' AS TIMESTAMP_NTZ)"),
        }
    }

    /// `ORDER BY` on addresses in code point order, as recipients.csv is sorted: PostgreSQL
    /// sorts by the database's collation unless told `C`; the others compare strings by code
    /// point (UTF-8 bytes) when no collation is named.
    pub fn order_by_code_point(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("ORDER BY {expr} COLLATE \"C\""),
            _ => format!("ORDER BY {expr}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_be_broken_out_of() {
        let hostile = "C-1'; DROP TABLE sends; --\\";
        assert_eq!(
            Dialect::Duckdb.string(hostile),
            "'C-1''; DROP TABLE sends; --\\'"
        );
        assert_eq!(
            Dialect::Postgres.string(hostile),
            "'C-1''; DROP TABLE sends; --\\'"
        );
        assert_eq!(
            Dialect::Snowflake.string(hostile),
            "'C-1''; DROP TABLE sends; --\\\\'"
        );
        assert_eq!(
            Dialect::Bigquery.string(hostile),
            "'C-1\\'; DROP TABLE sends; --\\\\'"
        );
        assert_eq!(Dialect::Bigquery.string("a\nb"), "'a\\x0ab'");
    }

    #[test]
    fn identifiers_are_quoted_and_folded_as_unquoted_names_are() {
        assert_eq!(Dialect::Duckdb.quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Bigquery.quote("a`b"), "`a\\`b`");
        assert_eq!(Dialect::Snowflake.plain("sends"), "\"SENDS\"");
        assert_eq!(Dialect::Postgres.plain("Sends"), "\"sends\"");
        assert_eq!(Dialect::Duckdb.plain("Sends"), "\"Sends\"");
    }
}
