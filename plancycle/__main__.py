from plancycle.cli import main

main()
