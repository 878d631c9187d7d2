"""Network adapters outside the database: numpy timetable builds and GTFS files."""
