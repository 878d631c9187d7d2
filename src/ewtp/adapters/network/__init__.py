"""The network outside the database: CSV network directories, IATA hub cities, numpy
timetable builds and GTFS files."""
