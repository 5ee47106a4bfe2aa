"""What every part of Rapport shares: user-data paths, atomic files, player names,
seeds and the error a user can act on. Imports nothing else of the game."""
