"""The network: hubs, services, zones, the timetable and its route searches."""
