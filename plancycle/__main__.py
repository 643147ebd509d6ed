from plancycle.cli.main import main

main()
