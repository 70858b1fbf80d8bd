package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/keys"
)

const (
	flagAccountKeyFile  = "key-file"
	flagAccountLightKDF = "light-kdf"
)

func accountCommand() *cli.Command {
	keystore := &cli.StringFlag{Name: flagChainKeystore, Usage: "V3 keystore `DIR`", Required: true, EnvVars: []string{envVar(flagChainKeystore)}}
	password := &cli.StringFlag{Name: flagChainPasswordFile, Usage: "`FILE` holding the password (one trailing newline ignored); without it opkit prompts twice", EnvVars: []string{envVar(flagChainPasswordFile)}}
	lightKDF := &cli.BoolFlag{Name: flagAccountLightKDF, Usage: "weaker, faster key encryption: for throwaway dev and test keys only", EnvVars: []string{envVar("account-" + flagAccountLightKDF)}}
	jsonOut := &cli.BoolFlag{Name: flagChainJSON, Usage: "print results as JSON on stdout", EnvVars: []string{envVar(flagChainJSON)}}
	return &cli.Command{
		Name:  "account",
		Usage: "create, list and import operator keys (go-ethereum V3 keystore files)",
		Subcommands: []*cli.Command{
			{
				Name:   "new",
				Usage:  "create a random key in the keystore",
				Flags:  []cli.Flag{keystore, password, lightKDF, jsonOut},
				Action: runAccountNew,
			},
			{
				Name:   "list",
				Usage:  "list the keystore's accounts with the index --account takes",
				Flags:  []cli.Flag{keystore, jsonOut},
				Action: runAccountList,
			},
			{
				Name: "import",
				Usage: "import a hex private key from a file (never from the command line, " +
					"where shell history and other users would see it)",
				Flags: []cli.Flag{keystore, password, lightKDF, jsonOut,
					&cli.StringFlag{Name: flagAccountKeyFile, Usage: "`FILE` holding the hex private key", Required: true, EnvVars: []string{envVar("account-" + flagAccountKeyFile)}},
				},
				Action: runAccountImport,
			},
		},
	}
}

func scryptFor(c *cli.Context) keys.Scrypt {
	if c.Bool(flagAccountLightKDF) {
		return keys.LightScrypt
	}
	return keys.StandardScrypt
}

func runAccountNew(c *cli.Context) error {
	pw, err := keys.NewPassword(c.String(flagChainPasswordFile), keys.StdPrompter())
	if err != nil {
		return err
	}
	kf, err := keys.New(c.String(flagChainKeystore), pw, scryptFor(c))
	if err != nil {
		return err
	}
	return printKeyFile(c.App.Writer, c.Bool(flagChainJSON), kf)
}

func runAccountImport(c *cli.Context) error {
	pw, err := keys.NewPassword(c.String(flagChainPasswordFile), keys.StdPrompter())
	if err != nil {
		return err
	}
	kf, err := keys.ImportHexFile(c.String(flagChainKeystore), c.String(flagAccountKeyFile), pw, scryptFor(c))
	if err != nil {
		return err
	}
	return printKeyFile(c.App.Writer, c.Bool(flagChainJSON), kf)
}

func printKeyFile(w io.Writer, asJSON bool, kf keys.KeyFile) error {
	if asJSON {
		return writeJSON(w, kf)
	}
	_, err := fmt.Fprintf(w, "%s %s\n", kf.Address, kf.Path)
	return err
}

func runAccountList(c *cli.Context) error {
	files, err := keys.List(c.String(flagChainKeystore))
	if err != nil {
		return err
	}
	w := c.App.Writer
	if c.Bool(flagChainJSON) {
		type entry struct {
			Index int `json:"index"`
			keys.KeyFile
		}
		out := make([]entry, len(files))
		for i, f := range files {
			out[i] = entry{i, f}
		}
		return writeJSON(w, out)
	}
	for i, f := range files {
		fmt.Fprintf(w, "%d %s %s\n", i, f.Address, f.Path)
	}
	return nil
}
