import dotenv from 'dotenv';

// Settings from .env fill in what the environment does not already set.
dotenv.config({ quiet: true });
