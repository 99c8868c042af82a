// Loaded before every test file: type-graphql needs the reflect-metadata polyfill.
import 'reflect-metadata';
