// Integration and end-to-end tests talk to real services: give them room, they still fail on a real hang.
jest.setTimeout(120_000);
