"""Storage of capacity planning: plan jobs and the booked volumes a forecast is built from."""
